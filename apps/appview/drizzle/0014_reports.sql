CREATE TABLE "reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reporter_did" text NOT NULL,
	"post_did" text NOT NULL,
	"post_rkey" text NOT NULL,
	"post_cid" text NOT NULL,
	"reason" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_at" timestamp (3) with time zone,
	"mod_action_uri" text
);
--> statement-breakpoint
CREATE INDEX "reports_queue_idx" ON "reports" USING btree ("resolved_at","created_at","id");--> statement-breakpoint
CREATE INDEX "reports_reporter_idx" ON "reports" USING btree ("reporter_did","created_at");--> statement-breakpoint
CREATE INDEX "reports_post_idx" ON "reports" USING btree ("post_did","post_rkey");