ALTER TABLE `boards` ADD `topic_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Boards indexed before this column get their count now; the indexer keeps it from here.
UPDATE `boards` SET `topic_count` = (SELECT count(*) FROM `posts` WHERE `posts`.`board_id` = `boards`.`id` AND `posts`.`root_uri` IS NULL);
