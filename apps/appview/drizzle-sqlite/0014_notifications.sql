CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recipient_did` text NOT NULL,
	`kind` text NOT NULL,
	`cause_uri` text NOT NULL,
	`post_id` integer,
	`action` text,
	`actor_did` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_cause_recipient_kind_idx` ON `notifications` (`cause_uri`,`recipient_did`,`kind`);--> statement-breakpoint
CREATE INDEX `notifications_recipient_id_idx` ON `notifications` (`recipient_did`,`id`);