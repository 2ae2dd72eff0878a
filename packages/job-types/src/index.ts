export * from "./define-job-type";
export * from "./issues";
export * from "./json-schema";
export * from "./registry";
export {
  CSV_MAX_LENGTH,
  IMPORT_MAX_ROWS,
  csvRowsUpperBound,
  csvColumnTypeSchema,
  csvRowErrorCodes,
  type CsvColumnType,
  type CsvRowErrorCode,
} from "./types/import";
export { SYNTHETIC_MAX_ITEMS } from "./types/synthetic";
export { jobFilterFields } from "./types/bulk";
