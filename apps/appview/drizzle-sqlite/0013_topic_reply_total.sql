ALTER TABLE `posts` ADD `reply_total` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Topics already indexed: every reply counts, hidden ones included (as the indexer keeps it from now on).
UPDATE `posts` SET `reply_total` = (SELECT count(*) FROM `posts` AS `every` WHERE `every`.`root_id` = `posts`.`id`)
WHERE `root_uri` IS NULL;
