#pragma once

/* Shared by the files of PasSftpSession: sending a request and reading its
 * answer. Everything here runs in the session owner's thread. */

#include "pas-sftp-session.h"

G_BEGIN_DECLS

guint32       pas_sftp_next_id          (PasSftpSession      *self);
/* Names a listing may hold before it is refused (0: no limit). */
guint         pas_sftp_session_get_max_listing (PasSftpSession *self);
/* Sends @packet (built with @id, consumed); @callback gets the raw reply,
 * read with pas_sftp_reply_finish(). */
void          pas_sftp_send_request     (PasSftpSession      *self,
                                         guint32              id,
                                         GBytes              *packet,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
PasSftpReply *pas_sftp_reply_finish     (GAsyncResult        *result,
                                         GError             **error);
/* A STATUS to TRUE for OK, or to the error people should read about @path. */
gboolean      pas_sftp_check_status     (PasSftpReply        *reply,
                                         const char          *path,
                                         GError             **error);
/* For a reply that is not the answer asked for. */
void          pas_sftp_refuse_reply     (PasSftpReply        *reply,
                                         const char          *path,
                                         GError             **error);
/* A task whose data is @path, for the reply callbacks below; @source_tag
 * is the public _async function, which its _finish checks. */
GTask        *pas_sftp_outer_task       (PasSftpSession      *self,
                                         const char          *path,
                                         gpointer             source_tag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* What the public _finish functions share: @result checked to be a task of
 * @self made by the _async function @source_tag, then propagated. */
gboolean      pas_sftp_finish_boolean   (PasSftpSession      *self,
                                         GAsyncResult        *result,
                                         gpointer             source_tag,
                                         GError             **error);
gpointer      pas_sftp_finish_pointer   (PasSftpSession      *self,
                                         GAsyncResult        *result,
                                         gpointer             source_tag,
                                         GError             **error);
gboolean      pas_sftp_finish_attrs     (PasSftpSession      *self,
                                         GAsyncResult        *result,
                                         gpointer             source_tag,
                                         PasSftpAttrs        *attrs,
                                         GError             **error);
/* Reply callback for requests answered by a plain STATUS; @data is an outer task. */
void          pas_sftp_status_reply_cb  (GObject             *source,
                                         GAsyncResult        *result,
                                         gpointer             data);
/* Reply callback for STAT, LSTAT and FSTAT: answers PasSftpAttrs. */
void          pas_sftp_attrs_reply_cb   (GObject             *source,
                                         GAsyncResult        *result,
                                         gpointer             data);
/* An OpenSSH extension whose arguments are strings; answers @task. */
void          pas_sftp_send_extended    (PasSftpSession      *self,
                                         const char          *name,
                                         const char * const  *strings,
                                         GAsyncReadyCallback  reply_cb,
                                         GTask               *task);

/* What a SETSTAT or FSETSTAT may carry from @attrs. */
PasSftpAttrs  pas_sftp_attrs_for_setstat (const PasSftpAttrs *attrs);

G_END_DECLS
