DROP INDEX "posts_root_created_idx";--> statement-breakpoint
ALTER TABLE "mod_actions" ADD COLUMN "seen_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "seen_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "posted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "locked_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "posts_root_posted_idx" ON "posts" USING btree ("root_id","posted_at","id");--> statement-breakpoint
-- Rows indexed before these columns: this AppView saw them by indexed_at at the latest.
UPDATE "posts" SET "seen_at" = least("created_at", "indexed_at"), "posted_at" = least("created_at", "indexed_at");--> statement-breakpoint
UPDATE "mod_actions" SET "seen_at" = least("created_at", "indexed_at");--> statement-breakpoint
UPDATE "posts" SET "locked_at" = (SELECT "mod_actions"."seen_at" FROM "mod_actions" WHERE "mod_actions"."subject_post_uri" = 'at://' || "posts"."did" || '/space.atbb.post/' || "posts"."rkey" AND "mod_actions"."action" = 'lock' ORDER BY "mod_actions"."created_at" DESC, "mod_actions"."rkey" DESC LIMIT 1) WHERE "posts"."locked";--> statement-breakpoint
-- Topics' counts and last activity by the new rules (indexer/aggregates.ts), once.
UPDATE "posts" SET "reply_count" = (SELECT count(*) FROM "posts" AS "r" WHERE "r"."root_id" = "posts"."id" AND "r"."deleted_by_user" = false AND "r"."deleted_by_mod" = false AND ("posts"."locked_at" IS NULL OR "r"."seen_at" <= "posts"."locked_at")), "last_reply_at" = (SELECT max("r"."posted_at") FROM "posts" AS "r" WHERE "r"."root_id" = "posts"."id" AND "r"."deleted_by_user" = false AND "r"."deleted_by_mod" = false AND ("posts"."locked_at" IS NULL OR "r"."seen_at" <= "posts"."locked_at")) WHERE "posts"."root_uri" IS NULL;--> statement-breakpoint
UPDATE "posts" SET "last_activity_at" = CASE WHEN "last_reply_at" > "posted_at" THEN "last_reply_at" ELSE "posted_at" END WHERE "root_uri" IS NULL;
