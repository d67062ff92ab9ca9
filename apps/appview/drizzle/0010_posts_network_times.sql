ALTER TABLE "mod_actions" ADD COLUMN "seen_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "seen_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "locked_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "deleted_at" timestamp (3) with time zone;--> statement-breakpoint
-- Rows indexed before these columns: this AppView saw them by indexed_at at the latest.
UPDATE "posts" SET "seen_at" = least("created_at", "indexed_at");--> statement-breakpoint
UPDATE "mod_actions" SET "seen_at" = least("created_at", "indexed_at");--> statement-breakpoint
UPDATE "posts" SET "locked_at" = (SELECT "mod_actions"."seen_at" FROM "mod_actions" WHERE "mod_actions"."subject_post_uri" = 'at://' || "posts"."did" || '/space.atbb.post/' || "posts"."rkey" AND "mod_actions"."action" = 'lock' ORDER BY "mod_actions"."created_at" DESC, "mod_actions"."rkey" DESC LIMIT 1) WHERE "posts"."locked";
