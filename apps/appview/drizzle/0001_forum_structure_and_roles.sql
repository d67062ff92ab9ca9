CREATE TABLE "backfill_errors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"collection" text,
	"uri" text,
	"error" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "backfill_progress" (
	"did" text NOT NULL,
	"collection" text NOT NULL,
	"cursor" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"records_indexed" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"completed_at" timestamp (3) with time zone,
	CONSTRAINT "backfill_progress_did_collection_pk" PRIMARY KEY("did","collection")
);
--> statement-breakpoint
CREATE TABLE "boards" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"category_uri" text NOT NULL,
	"category_id" bigint,
	"name" text NOT NULL,
	"description" text,
	"sort_order" integer,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firehose_cursor" (
	"service" text PRIMARY KEY NOT NULL,
	"cursor" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"priority" integer NOT NULL,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "role_id" bigint;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "board_uri" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "board_id" bigint;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "updated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "deleted_by_mod" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "locked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "reply_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "last_reply_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "last_activity_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "boards" ADD CONSTRAINT "boards_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backfill_errors_did_idx" ON "backfill_errors" USING btree ("did");--> statement-breakpoint
CREATE UNIQUE INDEX "boards_did_rkey_idx" ON "boards" USING btree ("did","rkey");--> statement-breakpoint
CREATE INDEX "boards_category_idx" ON "boards" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "boards_category_uri_idx" ON "boards" USING btree ("category_uri");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_did_rkey_idx" ON "roles" USING btree ("did","rkey");--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "posts_board_topics_idx" ON "posts" USING btree ("board_id","last_activity_at","id") WHERE root_uri is null;