#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where a relative path ("a/b.txt", "" for the folder itself) is on each
 * side: shared by the listing (pas-sync.c) and the runs (pas-sync-run.c). */
char  *pas_sync_remote_path (const char *root,
                             const char *relative);
GFile *pas_sync_local_file  (GFile      *root,
                             const char *relative);

G_END_DECLS
