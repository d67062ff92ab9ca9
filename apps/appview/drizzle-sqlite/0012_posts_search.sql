-- Full-text search over posts (api/search/): an FTS5 index of each post's
-- title and text as one column, so that, as on PostgreSQL (posts_search_idx
-- over title || ' ' || text), a phrase is matched the same way on both. The
-- index keeps no copy of the text: its content is read from the view. The
-- unicode61 tokenizer without diacritic folding splits and lower-cases words
-- as PostgreSQL's 'simple' configuration does (docs/search.md).
CREATE VIEW `posts_search_source` AS SELECT `id`, coalesce(`title`, '') || ' ' || `text` AS `body` FROM `posts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `posts_search` USING fts5(`body`, content='posts_search_source', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
-- Triggers keep the index in the row's own transaction: an edit or delete
-- changes what search finds when it commits, from whichever writer.
CREATE TRIGGER `posts_search_insert` AFTER INSERT ON `posts` BEGIN
  INSERT INTO `posts_search` (rowid, `body`) VALUES (new.`id`, coalesce(new.`title`, '') || ' ' || new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_search_delete` AFTER DELETE ON `posts` BEGIN
  INSERT INTO `posts_search` (`posts_search`, rowid, `body`) VALUES ('delete', old.`id`, coalesce(old.`title`, '') || ' ' || old.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_search_update` AFTER UPDATE OF `title`, `text` ON `posts` BEGIN
  INSERT INTO `posts_search` (`posts_search`, rowid, `body`) VALUES ('delete', old.`id`, coalesce(old.`title`, '') || ' ' || old.`text`);
  INSERT INTO `posts_search` (rowid, `body`) VALUES (new.`id`, coalesce(new.`title`, '') || ' ' || new.`text`);
END;
--> statement-breakpoint
INSERT INTO `posts_search` (`posts_search`) VALUES ('rebuild');
