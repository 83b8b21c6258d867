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

/* Called in the owner's thread for each batch of a listing, as it arrives. */
typedef void (*PasSftpListFunc) (GPtrArray *names,   /* of PasSftpName, without "." and ".." */
                                 gpointer   user_data);

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
/* Streams a folder: @batch is called for each batch as the server sends it. */
void            pas_sftp_session_list_async     (PasSftpSession       *self,
                                                 const char           *path,
                                                 PasSftpListFunc       batch,
                                                 gpointer              batch_data,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_list_finish (PasSftpSession       *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* ---- open files (pas-sftp-file.c) ---------------------------------------- */

/* An open remote file: the server's handle and the path it was opened by. */
typedef struct _PasSftpFile PasSftpFile;

PasSftpFile    *pas_sftp_file_ref               (PasSftpFile          *file);
void            pas_sftp_file_unref             (PasSftpFile          *file);
const char     *pas_sftp_file_get_path          (PasSftpFile          *file);

/* @attrs (nullable): the mode a created file gets. */
void            pas_sftp_session_open_file_async (PasSftpSession      *self,
                                                  const char          *path,
                                                  PasSftpOpenFlags     flags,
                                                  const PasSftpAttrs  *attrs,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PasSftpFile    *pas_sftp_session_open_file_finish (PasSftpSession     *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);
void            pas_sftp_session_read_async     (PasSftpSession       *self,
                                                 PasSftpFile          *file,
                                                 guint64               offset,
                                                 guint32               length,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* The bytes read, perhaps fewer than asked; NULL without an error at the end
 * of the file. Never more than asked: a server that sends more is refused. */
GBytes         *pas_sftp_session_read_finish    (PasSftpSession       *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void            pas_sftp_session_write_async    (PasSftpSession       *self,
                                                 PasSftpFile          *file,
                                                 guint64               offset,
                                                 const guint8         *data,
                                                 gsize                 len,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_write_finish (PasSftpSession       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            pas_sftp_session_close_file_async (PasSftpSession     *self,
                                                   PasSftpFile        *file,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
gboolean        pas_sftp_session_close_file_finish (PasSftpSession       *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            pas_sftp_session_fstat_async    (PasSftpSession       *self,
                                                 PasSftpFile          *file,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_fstat_finish (PasSftpSession       *self,
                                               GAsyncResult         *result,
                                               PasSftpAttrs         *attrs,
                                               GError              **error);
void            pas_sftp_session_fsetstat_async (PasSftpSession       *self,
                                                 PasSftpFile          *file,
                                                 const PasSftpAttrs   *attrs,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_fsetstat_finish (PasSftpSession       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* fsync@openssh.com; PAS_ERROR_NOT_SUPPORTED when the server lacks it. */
void            pas_sftp_session_fsync_async    (PasSftpSession       *self,
                                                 PasSftpFile          *file,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_fsync_finish (PasSftpSession       *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* copy-data between two open files: @length bytes (0: to the end) from
 * @from_offset of @from to @to_offset of @to. */
void            pas_sftp_session_copy_data_async (PasSftpSession      *self,
                                                  PasSftpFile         *from,
                                                  guint64              from_offset,
                                                  guint64              length,
                                                  PasSftpFile         *to,
                                                  guint64              to_offset,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        pas_sftp_session_copy_data_finish (PasSftpSession       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Server-side copy ("copy-data", OpenSSH ≥ 9.0): the bytes never cross the
 * network. Replaces @to only when @overwrite. PAS_ERROR_NOT_SUPPORTED
 * without the extension. */
void            pas_sftp_session_copy_async     (PasSftpSession       *self,
                                                 const char           *from,
                                                 const char           *to,
                                                 gboolean              overwrite,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_copy_finish (PasSftpSession       *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* ---- trees (pas-sftp-tree.c) ---------------------------------------------- */

/* Deletes @path and everything under it. Links are removed, never followed;
 * a listed name that could point elsewhere ("a/b", "..") stops it with
 * PAS_ERROR_UNSAFE_NAME before anything is deleted. */
void            pas_sftp_session_remove_tree_async (PasSftpSession    *self,
                                                    const char        *path,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
gboolean        pas_sftp_session_remove_tree_finish (PasSftpSession       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* mkdir -p: creates @path and the missing folders above it; an existing
 * folder is fine, anything else in the way is PAS_ERROR_EXISTS. */
void            pas_sftp_session_make_directories_async (PasSftpSession *self,
                                                         const char     *path,
                                                         guint32         mode,
                                                         GCancellable   *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer        user_data);
gboolean        pas_sftp_session_make_directories_finish (PasSftpSession       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* ---- pas-authorized-keys.c ------------------------------------------------ */

/* Appends @line ("type base64 [comment]") to authorized_keys in @ssh_dir
 * (NULL: ~/.ssh), creating the folder (0700) and the file (0600) when
 * missing; a key already there is not added again (@added says which). */
void            pas_sftp_session_install_public_key_async  (PasSftpSession      *self,
                                                            const char          *line,
                                                            const char          *ssh_dir,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean        pas_sftp_session_install_public_key_finish (PasSftpSession      *self,
                                                            GAsyncResult        *result,
                                                            gboolean            *added,
                                                            GError             **error);

/* ---- running a command (the "Run command" action) ------------------------- */

typedef struct
{
  GBytes   *out;          /* stdout, at most 1 MiB (empty when streamed) */
  GBytes   *err;          /* stderr, at most 1 MiB (empty when streamed) */
  int       exit_status;
  char     *exit_signal;  /* "TERM", "KILL"…: the command was killed; or NULL */
  gboolean  truncated;    /* more was printed than was kept */
} PasCommandResult;

/* A piece of a command's output: @stream is 1 (stdout) or 2 (stderr). */
typedef void (*PasCommandOutputFunc) (int      stream,
                                      GBytes  *bytes,
                                      gpointer user_data);

void              pas_command_result_free           (PasCommandResult    *result);
void              pas_connection_run_command_async  (PasConnection       *connection,
                                                     const char          *command,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
void              pas_connection_run_command_streaming_async (PasConnection        *connection,
                                                              const char           *command,
                                                              PasCommandOutputFunc  output,
                                                              gpointer              output_data,
                                                              GDestroyNotify        output_destroy,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
PasCommandResult *pas_connection_run_command_streaming_finish (PasConnection        *connection,
                                                               GAsyncResult         *result,
                                                               GError              **error);
PasCommandResult *pas_connection_run_command_finish (PasConnection       *connection,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSftpFile, pas_sftp_file_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasCommandResult, pas_command_result_free)

G_END_DECLS
