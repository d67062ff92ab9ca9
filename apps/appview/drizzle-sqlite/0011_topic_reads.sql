CREATE TABLE `topic_reads` (
	`did` text NOT NULL,
	`topic_id` integer NOT NULL,
	`read_until` integer NOT NULL,
	PRIMARY KEY(`did`, `topic_id`),
	FOREIGN KEY (`topic_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
