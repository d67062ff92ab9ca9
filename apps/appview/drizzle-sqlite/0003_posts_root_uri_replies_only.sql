DROP INDEX `posts_root_uri_idx`;--> statement-breakpoint
CREATE INDEX `posts_root_uri_idx` ON `posts` (`root_uri`) WHERE root_uri is not null;