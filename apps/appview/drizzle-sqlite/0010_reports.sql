CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reporter_did` text NOT NULL,
	`post_did` text NOT NULL,
	`post_rkey` text NOT NULL,
	`post_cid` text NOT NULL,
	`reason` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolution` text,
	`resolved_by` text,
	`resolved_at` integer,
	`mod_action_uri` text
);
--> statement-breakpoint
CREATE INDEX `reports_queue_idx` ON `reports` (`resolved_at`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `reports_reporter_idx` ON `reports` (`reporter_did`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_post_idx` ON `reports` (`post_did`,`post_rkey`);