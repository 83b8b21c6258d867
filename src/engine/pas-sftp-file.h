#pragma once

/* Open remote files (pas-sftp-file.c): reads and writes by offset, many in
 * flight, their attributes, fsync, and the server-side copy extensions. */

#include "pas-sftp-session.h"

G_BEGIN_DECLS

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSftpFile, pas_sftp_file_unref)

G_END_DECLS
