CREATE TABLE `member_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`did` text NOT NULL,
	`scope` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `member_sessions_did_idx` ON `member_sessions` (`did`);--> statement-breakpoint
CREATE INDEX `member_sessions_expires_idx` ON `member_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `oauth_sessions` (
	`did` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_states_created_idx` ON `oauth_states` (`created_at`);