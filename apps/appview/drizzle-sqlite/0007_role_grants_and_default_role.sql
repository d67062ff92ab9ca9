CREATE TABLE `role_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`member_did` text NOT NULL,
	`role_uri` text NOT NULL,
	`role_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_grants_did_rkey_idx` ON `role_grants` (`did`,`rkey`);--> statement-breakpoint
CREATE INDEX `role_grants_role_uri_idx` ON `role_grants` (`role_uri`);--> statement-breakpoint
ALTER TABLE `forums` ADD `default_role_uri` text;--> statement-breakpoint
ALTER TABLE `forums` ADD `default_role_id` integer REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE set null;