#pragma once

#include <gio/gio.h>

#include "pas-connection.h"
#include "pas-sftp-wire.h"

G_BEGIN_DECLS

#define PAS_TYPE_SFTP_SESSION (pas_sftp_session_get_type ())

G_DECLARE_FINAL_TYPE (PasSftpSession, pas_sftp_session, PAS, SFTP_SESSION, GObject)

/* Our own SFTP v3 client on one channel of a connected PasConnection (why
 * not libssh2's: ARCHITECTURE.md): any number of requests in flight,
 * matched to replies by id.
 * Methods are called from the connection's owner thread; callbacks run in
 * that thread's main context. */


void            pas_sftp_session_open_async     (PasConnection        *connection,
                                                 const char           *server_command,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PasSftpSession *pas_sftp_session_open_finish    (GAsyncResult         *result,
                                                 GError              **error);

/* A request unanswered, with nothing at all heard from the server, for this
 * long fails the session with PAS_ERROR_TIMED_OUT (default 60 s; 0: never). */
void            pas_sftp_session_set_stall_timeout (PasSftpSession    *self,
                                                    guint              seconds);
/* A listing of more entries fails with PAS_ERROR_PROTOCOL rather than grow
 * without end (default PAS_SFTP_DEFAULT_MAX_LISTING; 0: no limit). */
#define PAS_SFTP_DEFAULT_MAX_LISTING 1000000
void            pas_sftp_session_set_max_listing   (PasSftpSession    *self,
                                                    guint              entries);
guint32         pas_sftp_session_get_version    (PasSftpSession       *self);
/* For a failing test's log: requests waiting, and how long since the server
 * was last heard (read without locking: a snapshot, not an API). */
char           *pas_sftp_session_describe       (PasSftpSession       *self);
gboolean        pas_sftp_session_has_extension  (PasSftpSession       *self,
                                                 const char           *name);

void            pas_sftp_session_realpath_async (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char           *pas_sftp_session_realpath_finish (PasSftpSession      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void            pas_sftp_session_readlink_async (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char           *pas_sftp_session_readlink_finish (PasSftpSession       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* expand-path@openssh.com: "~/x", "~user/x" as the server's shell would. */
void            pas_sftp_session_expand_path_async (PasSftpSession    *self,
                                                    const char        *path,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
char           *pas_sftp_session_expand_path_finish (PasSftpSession       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

typedef struct
{
  guint64 block_size;
  guint64 fragment_size;
  guint64 blocks;
  guint64 blocks_free;
  guint64 blocks_available;   /* to an unprivileged user */
  guint64 files;
  guint64 files_free;
  guint64 files_available;
  guint64 fsid;
  guint64 flags;
  guint64 name_max;
} PasSftpStatvfs;

typedef struct
{
  guint64 max_packet;
  guint64 max_read;
  guint64 max_write;
  guint64 max_open_handles;
} PasSftpLimits;

/* statvfs@openssh.com: free space where @path lives. */
void            pas_sftp_session_statvfs_async  (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_statvfs_finish (PasSftpSession       *self,
                                                 GAsyncResult         *result,
                                                 PasSftpStatvfs       *statvfs,
                                                 GError              **error);
/* limits@openssh.com: the server's largest read and write sizes. */
void            pas_sftp_session_limits_async   (PasSftpSession       *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_limits_finish  (PasSftpSession       *self,
                                                 GAsyncResult         *result,
                                                 PasSftpLimits        *limits,
                                                 GError              **error);
void            pas_sftp_session_stat_async     (PasSftpSession       *self,
                                                 const char           *path,
                                                 gboolean              follow_links,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_stat_finish    (PasSftpSession       *self,
                                                 GAsyncResult         *result,
                                                 PasSftpAttrs         *attrs,
                                                 GError              **error);
void            pas_sftp_session_mkdir_async    (PasSftpSession       *self,
                                                 const char           *path,
                                                 guint32               mode,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_mkdir_finish (PasSftpSession       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            pas_sftp_session_rmdir_async    (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_rmdir_finish (PasSftpSession       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            pas_sftp_session_remove_async   (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_remove_finish (PasSftpSession       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* Replaces an existing @to only when @overwrite, atomically when the server
 * offers posix-rename@openssh.com. */
void            pas_sftp_session_rename_async   (PasSftpSession       *self,
                                                 const char           *from,
                                                 const char           *to,
                                                 gboolean              overwrite,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_rename_finish (PasSftpSession       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
/* chmod, chown, utimes: sets the fields @attrs->flags names; the mode keeps
 * its 07777 bits (an explicit chmod), never file-type bits. */
void            pas_sftp_session_setstat_async  (PasSftpSession       *self,
                                                 const char           *path,
                                                 const PasSftpAttrs   *attrs,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_setstat_finish (PasSftpSession       *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void            pas_sftp_session_symlink_async  (PasSftpSession       *self,
                                                 const char           *link_path,
                                                 const char           *target,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_symlink_finish (PasSftpSession       *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* hardlink@openssh.com; PAS_ERROR_NOT_SUPPORTED when the server lacks it. */
void            pas_sftp_session_hardlink_async (PasSftpSession       *self,
                                                 const char           *existing,
                                                 const char           *new_path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_hardlink_finish (PasSftpSession       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
