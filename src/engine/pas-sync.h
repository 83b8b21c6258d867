#pragma once

#include <gio/gio.h>

#include "pas-sftp-session.h"
#include "pas-transfer.h"

G_BEGIN_DECLS

/* Comparing a folder with its copy on the other side, and what it takes to
 * make the copy like it (as `rsync -rt` would): missing or different files
 * copied, extras deleted only when asked, same size and same time (whole
 * seconds, what SFTP keeps) trusted unless contents are compared.
 *
 * A side is listed into a tree: a GHashTable from the path relative to the
 * folder ("a/b.txt", '/'-separated) to a PasSyncEntry. Excluded names are
 * left out of both sides, so they are neither copied nor deleted. Links are
 * listed, never followed, never copied and never deleted. */

typedef struct
{
  GFileType type;    /* REGULAR, DIRECTORY, SYMBOLIC_LINK or SPECIAL */
  guint64   size;
  gint64    mtime;   /* seconds since 1970 */
  /* A folder holding an excluded name, at any depth: never deleted whole
   * (what is excluded is never deleted). */
  gboolean  holds_excluded;
} PasSyncEntry;

typedef struct
{
  gboolean   delete_extras;
  gboolean   checksum;
  /* Globs matched against each name and each relative path; one ending in
   * "/" matches folders only ("node_modules/", ".git/", "*.log"). */
  char     **excludes;
} PasSyncOptions;

typedef enum
{
  PAS_SYNC_DELETE,   /* listed first */
  PAS_SYNC_MKDIR,
  PAS_SYNC_COPY,
} PasSyncActionKind;

typedef enum
{
  PAS_SYNC_REASON_NEW,
  PAS_SYNC_REASON_SIZE,
  PAS_SYNC_REASON_TIME,
  PAS_SYNC_REASON_CONTENT,
  PAS_SYNC_REASON_TYPE,    /* a file where a folder is, or the reverse */
  PAS_SYNC_REASON_EXTRA,   /* not in the source (delete_extras) */
  /* Not the same, and the copy there is the newer one: copying replaces a
   * newer file with an older one (as rsync -rt would), so it is said. */
  PAS_SYNC_REASON_REPLACES_NEWER,
} PasSyncReason;

typedef struct
{
  PasSyncActionKind kind;
  PasSyncReason     reason;
  char             *path;     /* relative */
  gboolean          folder;   /* a folder (deleted with what it holds) */
  guint64           size;     /* copies: the source's size */
} PasSyncAction;

void        pas_sync_action_free         (PasSyncAction        *action);
const char *pas_sync_reason_to_string    (PasSyncReason         reason);

gboolean    pas_sync_is_excluded         (const PasSyncOptions *options,
                                          const char           *path,
                                          gboolean              folder);

/* Lists @root and everything under it. Blocking: call it in a thread. */
GHashTable *pas_sync_list_local          (GFile                *root,
                                          const PasSyncOptions *options,
                                          GCancellable         *cancellable,
                                          GError              **error);
/* Lists a remote folder tree, several folders at a time; a missing @root
 * is an empty tree. Names no local file could have are left out and
 * counted (pas_sync_list_remote_finish). */
void        pas_sync_list_remote_async   (PasSftpSession       *session,
                                          const char           *root,
                                          const PasSyncOptions *options,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GHashTable *pas_sync_list_remote_finish  (PasSftpSession       *session,
                                          GAsyncResult         *result,
                                          guint                *n_unsafe,
                                          GError              **error);

/* What makes @destination like @source: deletions first (never below a
 * folder that is deleted), then folders to make, then files to copy, each
 * group by path. Files of the same size and time are copied when their
 * path is in @differing (nullable: contents compared by the caller), and
 * otherwise, with options->checksum, added to @same_looking (nullable) for
 * the caller to compare. */
GPtrArray  *pas_sync_plan                (GHashTable           *source,
                                          GHashTable           *destination,
                                          const PasSyncOptions *options,
                                          GHashTable           *differing,
                                          GPtrArray            *same_looking);

/* How an entry of one side's folder compares with the same name on the
 * other side (nullable: none there), as the panes' Compare marks show it.
 * A folder on both sides is not judged: its contents are other listings. */
typedef enum
{
  PAS_SYNC_MARK_ONLY_HERE,
  PAS_SYNC_MARK_NEWER_HERE,
  PAS_SYNC_MARK_OLDER_HERE,
  PAS_SYNC_MARK_DIFFERENT,   /* same time, other size; or a file against a folder */
  PAS_SYNC_MARK_SAME,        /* same size and time (whole seconds) */
  PAS_SYNC_MARK_FOLDERS,     /* a folder on both sides: not compared */
} PasSyncMark;

PasSyncMark pas_sync_mark                (const PasSyncEntry   *here,
                                          const PasSyncEntry   *there);

/* SHA-256 of a local file, in hex. Blocking: call it in a thread. */
char       *pas_sync_hash_local          (GFile                *file,
                                          GCancellable         *cancellable,
                                          GError              **error);
/* SHA-256 of a remote file read over SFTP, in hex. */
void        pas_sync_hash_remote_async   (PasSftpSession       *session,
                                          const char           *path,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char       *pas_sync_hash_remote_finish  (PasSftpSession       *session,
                                          GAsyncResult         *result,
                                          GError              **error);

/* Both sides listed at once, and with options->checksum the contents of
 * same-looking files compared: what a plan is made from. @upload: @local
 * is the source. A missing source is an error; a missing destination is
 * an empty one. The options must stay valid until the callback. */
typedef struct
{
  GHashTable *source;
  GHashTable *destination;
  GHashTable *differing;           /* paths whose contents differ (checksum) */
  gboolean    destination_exists;
  guint       n_unsafe;            /* server names left out */
} PasSyncComparison;

void               pas_sync_comparison_free (PasSyncComparison *comparison);
void               pas_sync_compare_async   (PasSftpSession       *session,
                                             GFile                *local,
                                             const char           *remote,
                                             gboolean              upload,
                                             const PasSyncOptions *options,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
PasSyncComparison *pas_sync_compare_finish  (PasSftpSession       *session,
                                             GAsyncResult         *result,
                                             GError              **error);

/* Carries out the plan's deletions and folders, in order (the destination's
 * own folder first when it is missing); copies are left to the caller, as
 * pas_sync_plan_new_transfer() makes them. Failures do not stop it: each
 * is returned as a message naming its path. */
void               pas_sync_apply_async     (PasSftpSession       *session,
                                             GFile                *local,
                                             const char           *remote,
                                             gboolean              upload,
                                             gboolean              make_destination,
                                             GPtrArray            *actions,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
/* Returns: (transfer full): messages of what failed (empty: none). */
GPtrArray         *pas_sync_apply_finish    (PasSftpSession       *session,
                                             GAsyncResult         *result,
                                             GError              **error);

/* Copies at once: a file of a tree costs a few round trips of its own
 * (open; its data and close; the rename), so with many small files latency,
 * not bandwidth, decides (docs/benchmarks.md, "Mirroring a tree"). The
 * server's handle limit still caps it. */
#define PAS_SYNC_COPIES_AT_ONCE 256

/* The plan's copies as one transfer (a list, see pas_transfer_set_files()):
 * replaces what is there, keeps times and modes. NULL when nothing is to
 * be copied. */
PasTransfer       *pas_sync_plan_new_transfer (GPtrArray    *actions,
                                               gboolean      upload,
                                               GFile        *local,
                                               const char   *remote);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSyncComparison, pas_sync_comparison_free)

G_END_DECLS
