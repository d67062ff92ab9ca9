CREATE TABLE "role_grants" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"rkey" text NOT NULL,
	"cid" text NOT NULL,
	"indexed_at" timestamp (3) with time zone NOT NULL,
	"member_did" text NOT NULL,
	"role_uri" text NOT NULL,
	"role_id" bigint,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "forums" ADD COLUMN "default_role_uri" text;--> statement-breakpoint
ALTER TABLE "forums" ADD COLUMN "default_role_id" bigint;--> statement-breakpoint
ALTER TABLE "role_grants" ADD CONSTRAINT "role_grants_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_did_rkey_idx" ON "role_grants" USING btree ("did","rkey");--> statement-breakpoint
CREATE INDEX "role_grants_role_uri_idx" ON "role_grants" USING btree ("role_uri");--> statement-breakpoint
ALTER TABLE "forums" ADD CONSTRAINT "forums_default_role_id_roles_id_fk" FOREIGN KEY ("default_role_id") REFERENCES "public"."roles"("id") ON DELETE set null ON UPDATE no action;