-- Data step between two schema steps: copy every element of the legacy
-- roles.permissions array into role_permissions before 0004 drops the column,
-- so one `atbb migrate` from any older state keeps every permission.
-- Idempotent: duplicates in an array and re-runs insert nothing twice.
INSERT INTO "role_permissions" ("role_id", "permission")
SELECT "roles"."id", "granted"."permission"
FROM "roles" CROSS JOIN LATERAL unnest("roles"."permissions") AS "granted"("permission")
WHERE "granted"."permission" IS NOT NULL
ON CONFLICT DO NOTHING;
