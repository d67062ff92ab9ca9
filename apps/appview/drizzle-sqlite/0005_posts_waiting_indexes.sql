DROP INDEX `posts_root_uri_idx`;--> statement-breakpoint
DROP INDEX `posts_parent_uri_idx`;--> statement-breakpoint
CREATE INDEX `posts_waiting_root_idx` ON `posts` (`root_uri`) WHERE root_id is null and root_uri is not null;--> statement-breakpoint
CREATE INDEX `posts_waiting_parent_idx` ON `posts` (`parent_uri`) WHERE parent_id is null and parent_uri is not null;