ALTER TABLE `users` ADD `handle_recheck_at` integer;--> statement-breakpoint
CREATE INDEX `users_handle_recheck_at_idx` ON `users` (`handle_recheck_at`);