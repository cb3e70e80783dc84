-- RenameIndex
ALTER INDEX "Post_authorId_idx" RENAME TO "post_author";
