// The status vocabulary is part of the API contract; the database stores the same names.
export * from "@jobstream/contract/status";
