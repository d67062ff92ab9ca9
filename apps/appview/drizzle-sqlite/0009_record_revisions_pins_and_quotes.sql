DROP INDEX `posts_board_topics_idx`;--> statement-breakpoint
ALTER TABLE `posts` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `quote_uri` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `pinned` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `posts_board_topics_idx` ON `posts` (`board_id`,`pinned`,`last_activity_at`,`id`) WHERE root_uri is null;--> statement-breakpoint
ALTER TABLE `boards` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `categories` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `forums` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `memberships` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `mod_actions` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `role_grants` ADD `rev` text;--> statement-breakpoint
ALTER TABLE `roles` ADD `rev` text;