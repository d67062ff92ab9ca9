ALTER TABLE "users" ADD COLUMN "handle_recheck_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "users_handle_recheck_at_idx" ON "users" USING btree ("handle_recheck_at");