CREATE TABLE "topic_reads" (
	"did" text NOT NULL,
	"topic_id" bigint NOT NULL,
	"read_until" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "topic_reads_did_topic_id_pk" PRIMARY KEY("did","topic_id")
);
--> statement-breakpoint
ALTER TABLE "topic_reads" ADD CONSTRAINT "topic_reads_topic_id_posts_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;