// What tests and benchmarks of other packages build on: a private database and typical rows.
export * from "./test-database";
export * from "./test-rows";
