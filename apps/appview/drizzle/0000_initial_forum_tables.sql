CREATE TABLE "categories" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"forum_id" bigint,
	"name" text NOT NULL,
	"description" text,
	"sort_order" integer,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forums" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"forum_uri" text NOT NULL,
	"forum_id" bigint,
	"role_uri" text,
	"joined_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mod_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"action" text NOT NULL,
	"subject_did" text,
	"subject_post_uri" text,
	"reason" text,
	"created_by" text,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"title" text,
	"text" text NOT NULL,
	"forum_uri" text,
	"root_uri" text,
	"root_id" bigint,
	"parent_uri" text,
	"parent_id" bigint,
	"created_at" timestamp (3) with time zone NOT NULL,
	"deleted_by_user" boolean DEFAULT false NOT NULL,
	"banned_by_mod" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"did" text PRIMARY KEY NOT NULL,
	"handle" text,
	"account_status" text DEFAULT 'active' NOT NULL,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_forum_id_forums_id_fk" FOREIGN KEY ("forum_id") REFERENCES "public"."forums"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_root_id_posts_id_fk" FOREIGN KEY ("root_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_parent_id_posts_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_did_rkey_idx" ON "categories" USING btree ("did","rkey");--> statement-breakpoint
CREATE INDEX "categories_sort_idx" ON "categories" USING btree ("sort_order","name");--> statement-breakpoint
CREATE UNIQUE INDEX "forums_did_rkey_idx" ON "forums" USING btree ("did","rkey");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_did_rkey_idx" ON "memberships" USING btree ("did","rkey");--> statement-breakpoint
CREATE INDEX "memberships_did_idx" ON "memberships" USING btree ("did");--> statement-breakpoint
CREATE INDEX "memberships_role_uri_idx" ON "memberships" USING btree ("role_uri");--> statement-breakpoint
CREATE INDEX "memberships_forum_uri_idx" ON "memberships" USING btree ("forum_uri");--> statement-breakpoint
CREATE UNIQUE INDEX "mod_actions_did_rkey_idx" ON "mod_actions" USING btree ("did","rkey");--> statement-breakpoint
CREATE INDEX "mod_actions_subject_did_idx" ON "mod_actions" USING btree ("subject_did");--> statement-breakpoint
CREATE INDEX "mod_actions_subject_post_uri_idx" ON "mod_actions" USING btree ("subject_post_uri");--> statement-breakpoint
CREATE INDEX "mod_actions_created_idx" ON "mod_actions" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_did_rkey_idx" ON "posts" USING btree ("did","rkey");--> statement-breakpoint
CREATE INDEX "posts_root_created_idx" ON "posts" USING btree ("root_id","created_at","id");--> statement-breakpoint
CREATE INDEX "posts_root_uri_idx" ON "posts" USING btree ("root_uri");--> statement-breakpoint
CREATE INDEX "posts_parent_uri_idx" ON "posts" USING btree ("parent_uri");--> statement-breakpoint
CREATE INDEX "posts_did_created_idx" ON "posts" USING btree ("did","created_at");--> statement-breakpoint
CREATE INDEX "users_handle_idx" ON "users" USING btree ("handle");