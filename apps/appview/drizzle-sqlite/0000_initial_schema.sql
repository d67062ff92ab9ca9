CREATE TABLE `backfill_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`collection` text,
	`uri` text,
	`error` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `backfill_errors_did_idx` ON `backfill_errors` (`did`);--> statement-breakpoint
CREATE TABLE `backfill_progress` (
	`did` text NOT NULL,
	`collection` text NOT NULL,
	`cursor` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`records_indexed` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`did`, `collection`)
);
--> statement-breakpoint
CREATE TABLE `boards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`category_uri` text NOT NULL,
	`category_id` integer,
	`name` text NOT NULL,
	`description` text,
	`sort_order` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `boards_did_rkey_idx` ON `boards` (`did`,`rkey`);--> statement-breakpoint
CREATE INDEX `boards_category_idx` ON `boards` (`category_id`);--> statement-breakpoint
CREATE INDEX `boards_category_uri_idx` ON `boards` (`category_uri`);--> statement-breakpoint
CREATE TABLE `categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`forum_id` integer,
	`name` text NOT NULL,
	`description` text,
	`sort_order` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`forum_id`) REFERENCES `forums`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_did_rkey_idx` ON `categories` (`did`,`rkey`);--> statement-breakpoint
CREATE INDEX `categories_sort_idx` ON `categories` (`sort_order`,`name`);--> statement-breakpoint
CREATE TABLE `firehose_cursor` (
	`service` text PRIMARY KEY NOT NULL,
	`cursor` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `forums` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `forums_did_rkey_idx` ON `forums` (`did`,`rkey`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`forum_uri` text NOT NULL,
	`forum_id` integer,
	`role_uri` text,
	`role_id` integer,
	`joined_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`forum_id`) REFERENCES `forums`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_did_rkey_idx` ON `memberships` (`did`,`rkey`);--> statement-breakpoint
CREATE INDEX `memberships_did_idx` ON `memberships` (`did`);--> statement-breakpoint
CREATE INDEX `memberships_role_uri_idx` ON `memberships` (`role_uri`);--> statement-breakpoint
CREATE INDEX `memberships_forum_uri_idx` ON `memberships` (`forum_uri`);--> statement-breakpoint
CREATE TABLE `mod_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`action` text NOT NULL,
	`subject_did` text,
	`subject_post_uri` text,
	`reason` text,
	`created_by` text,
	`expires_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mod_actions_did_rkey_idx` ON `mod_actions` (`did`,`rkey`);--> statement-breakpoint
CREATE INDEX `mod_actions_subject_did_idx` ON `mod_actions` (`subject_did`);--> statement-breakpoint
CREATE INDEX `mod_actions_subject_post_uri_idx` ON `mod_actions` (`subject_post_uri`);--> statement-breakpoint
CREATE INDEX `mod_actions_created_idx` ON `mod_actions` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`title` text,
	`text` text NOT NULL,
	`forum_uri` text,
	`board_uri` text,
	`board_id` integer,
	`root_uri` text,
	`root_id` integer,
	`parent_uri` text,
	`parent_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	`deleted_by_user` integer DEFAULT false NOT NULL,
	`banned_by_mod` integer DEFAULT false NOT NULL,
	`deleted_by_mod` integer DEFAULT false NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`last_reply_at` integer,
	`last_activity_at` integer,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`root_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`parent_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_did_rkey_idx` ON `posts` (`did`,`rkey`);--> statement-breakpoint
CREATE INDEX `posts_board_topics_idx` ON `posts` (`board_id`,`last_activity_at`,`id`) WHERE root_uri is null;--> statement-breakpoint
CREATE INDEX `posts_root_created_idx` ON `posts` (`root_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `posts_root_uri_idx` ON `posts` (`root_uri`);--> statement-breakpoint
CREATE INDEX `posts_parent_uri_idx` ON `posts` (`parent_uri`);--> statement-breakpoint
CREATE INDEX `posts_did_created_idx` ON `posts` (`did`,`created_at`);--> statement-breakpoint
CREATE TABLE `role_permissions` (
	`role_id` integer NOT NULL,
	`permission` text NOT NULL,
	PRIMARY KEY(`role_id`, `permission`),
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `roles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`did` text NOT NULL,
	`rkey` text NOT NULL,
	`cid` text NOT NULL,
	`indexed_at` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`priority` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roles_did_rkey_idx` ON `roles` (`did`,`rkey`);--> statement-breakpoint
CREATE TABLE `users` (
	`did` text PRIMARY KEY NOT NULL,
	`handle` text,
	`account_status` text DEFAULT 'active' NOT NULL,
	`first_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `users_handle_idx` ON `users` (`handle`);