DROP INDEX "posts_board_topics_idx";--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "forums" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "mod_actions" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "quote_uri" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "pinned" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "role_grants" ADD COLUMN "rev" text;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "rev" text;--> statement-breakpoint
CREATE INDEX "posts_board_topics_idx" ON "posts" USING btree ("board_id","pinned","last_activity_at","id") WHERE root_uri is null;