// The vocabulary for SQL that the query builder does not write: JSON in and
// out of statements, row shapes read from the schema's columns, and texts
// rendered once for DatabaseHandle.values().
export { countCell, jsonCell, jsonSql, jsonTable, type JsonSql, type JsonTable } from "./json.ts";
export { outerJoined, rowShape, type OuterJoined, type RowOf, type RowShape, type ShapeColumns } from "./row-shape.ts";
export { aliasedTable } from "./tables.ts";
