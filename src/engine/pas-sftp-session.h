#pragma once

#include <gio/gio.h>

#include "pas-connection.h"
#include "pas-sftp-wire.h"

G_BEGIN_DECLS

#define PAS_TYPE_SFTP_SESSION (pas_sftp_session_get_type ())

G_DECLARE_FINAL_TYPE (PasSftpSession, pas_sftp_session, PAS, SFTP_SESSION, GObject)

/* Our own SFTP v3 client on one channel of a connected PasConnection (design
 * brief §2): any number of requests in flight, matched to replies by id.
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
void            pas_sftp_session_rmdir_async    (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void            pas_sftp_session_remove_async   (PasSftpSession       *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* Replaces an existing @to only when @overwrite, atomically when the server
 * offers posix-rename@openssh.com. */
void            pas_sftp_session_rename_async   (PasSftpSession       *self,
                                                 const char           *from,
                                                 const char           *to,
                                                 gboolean              overwrite,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* Finishes mkdir, rmdir, remove, rename and list. */
gboolean        pas_sftp_session_finish         (PasSftpSession       *self,
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

G_END_DECLS
