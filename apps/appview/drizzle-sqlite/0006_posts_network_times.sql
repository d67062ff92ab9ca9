ALTER TABLE `mod_actions` ADD `seen_at` integer;--> statement-breakpoint
ALTER TABLE `posts` ADD `seen_at` integer;--> statement-breakpoint
ALTER TABLE `posts` ADD `locked_at` integer;--> statement-breakpoint
ALTER TABLE `posts` ADD `deleted_at` integer;--> statement-breakpoint
-- Rows indexed before these columns: this AppView saw them by indexed_at at the latest.
UPDATE `posts` SET `seen_at` = min(`created_at`, `indexed_at`);--> statement-breakpoint
UPDATE `mod_actions` SET `seen_at` = min(`created_at`, `indexed_at`);--> statement-breakpoint
UPDATE `posts` SET `locked_at` = (SELECT `mod_actions`.`seen_at` FROM `mod_actions` WHERE `mod_actions`.`subject_post_uri` = 'at://' || `posts`.`did` || '/space.atbb.post/' || `posts`.`rkey` AND `mod_actions`.`action` = 'lock' ORDER BY `mod_actions`.`created_at` DESC, `mod_actions`.`rkey` DESC LIMIT 1) WHERE `posts`.`locked`;
