ALTER TABLE "posts" ADD COLUMN "reply_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Topics already indexed: every reply counts, hidden ones included (as the indexer keeps it from now on).
UPDATE "posts" AS "topic" SET "reply_total" = "every"."n"
FROM (SELECT "root_id", count(*) AS "n" FROM "posts" WHERE "root_id" IS NOT NULL GROUP BY "root_id") AS "every"
WHERE "topic"."id" = "every"."root_id";
