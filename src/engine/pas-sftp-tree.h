#pragma once

/* Whole trees on the server (pas-sftp-tree.c): rm -r and mkdir -p. */

#include "pas-sftp-session.h"

G_BEGIN_DECLS

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

G_END_DECLS
