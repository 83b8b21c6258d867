#define G_LOG_DOMAIN "pas-sftp"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pas-connection-private.h"
#include "pas-error.h"
#include "pas-names.h"
#include "pas-sftp-channel-private.h"
#include "pas-sftp-session-private.h"
#include "pas-wire.h"

struct _PasSftpSession
{
  GObject         parent_instance;
  PasConnection  *connection;
  PasSftpChannel *channel;
  GMainContext   *worker_context;
  gint            next_id;
  guint           max_listing;
};

G_DEFINE_FINAL_TYPE (PasSftpSession, pas_sftp_session, G_TYPE_OBJECT)

static void
pas_sftp_session_dispose (GObject *object)
{
  PasSftpSession *self = PAS_SFTP_SESSION (object);

  if (self->channel != NULL)
    pas_sftp_channel_close (g_steal_pointer (&self->channel));
  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (pas_sftp_session_parent_class)->dispose (object);
}

static void
pas_sftp_session_class_init (PasSftpSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pas_sftp_session_dispose;
}

static void
pas_sftp_session_init (PasSftpSession *self)
{
  self->next_id = 1;
  self->max_listing = PAS_SFTP_DEFAULT_MAX_LISTING;
}

/**
 * pas_sftp_session_open_async:
 * @server_command: (nullable): run this instead of the "sftp" subsystem, e.g.
 *   "sudo -n /usr/lib/openssh/sftp-server"
 */
void
pas_sftp_session_open_async (PasConnection      *connection,
                             const char         *server_command,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  PasWorker *w = pas_connection_get_worker (connection);
  g_autoptr(PasSftpSession) self = g_object_new (PAS_TYPE_SFTP_SESSION, NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  PasSftpChannel *c;

  g_task_set_source_tag (task, pas_sftp_session_open_async);
  if (w == NULL)
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("Not connected"));
      g_object_unref (task);
      return;
    }

  c = pas_sftp_channel_new (w, server_command);
  c->stall_timeout = 60;
  c->open_task = task;

  self->connection = g_object_ref (connection);
  self->worker_context = g_main_context_ref (pas_worker_get_context (w));
  self->channel = c;
  pas_worker_start_channel (w, &c->base);
}

PasSftpSession *
pas_sftp_session_open_finish (GAsyncResult *result,
                              GError      **error)
{
  GObject *self = g_task_get_source_object (G_TASK (result));

  g_return_val_if_fail (g_async_result_is_tagged (result, pas_sftp_session_open_async), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_object_ref (PAS_SFTP_SESSION (self));
}

void
pas_sftp_session_set_stall_timeout (PasSftpSession *self,
                                    guint           seconds)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  if (self->channel != NULL)
    g_atomic_int_set (&self->channel->stall_timeout, (gint) MIN (seconds, G_MAXINT));
}

void
pas_sftp_session_set_max_listing (PasSftpSession *self,
                                  guint           entries)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  self->max_listing = entries;
}

guint32
pas_sftp_session_get_version (PasSftpSession *self)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), 0);

  return self->channel != NULL ? self->channel->version : 0;
}

char *
pas_sftp_session_describe (PasSftpSession *self)
{
  PasSftpChannel *c;

  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), NULL);

  c = self->channel;
  if (c == NULL)
    return g_strdup ("no channel");
  {
    g_autofree char *worker = pas_worker_describe (c->w);
    int held = c->channel != NULL ? libssh2_poll_channel_read (c->channel, 0) : 0;

    return g_strdup_printf ("step %d, %u requests waiting, %u packets to send%s, last heard %.1f s ago, "
                            "libssh2 holds %s for it; %s",
                            (int) c->step, c->pending != NULL ? g_hash_table_size (c->pending) : 0,
                            c->out.length, c->window_full ? " (window full)" : "",
                            (g_get_monotonic_time () - c->last_heard) / (double) G_USEC_PER_SEC,
                            held > 0 ? "data" : "nothing", worker);
  }
}

gboolean
pas_sftp_session_has_extension (PasSftpSession *self,
                                const char     *name)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return self->channel != NULL && g_hash_table_contains (self->channel->extensions, name);
}

guint
pas_sftp_session_get_max_listing (PasSftpSession *self)
{
  return self->max_listing;
}

guint32
pas_sftp_next_id (PasSftpSession *self)
{
  return (guint32) g_atomic_int_add (&self->next_id, 1);
}

/* Sends @packet (built with @id); @callback gets the raw reply. */
void
pas_sftp_send_request (PasSftpSession     *self,
                       guint32             id,
                       GBytes             *packet,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  pas_sftp_channel_submit (self->channel, id, packet, g_task_new (self, cancellable, callback, user_data));
}

PasSftpReply *
pas_sftp_reply_finish (GAsyncResult *result,
                       GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Turns a STATUS (or an unexpected reply) into TRUE for OK, or an error. */
gboolean
pas_sftp_check_status (PasSftpReply *reply,
                       const char   *path,
                       GError      **error)
{
  g_autofree char *shown = pas_name_escape_for_display (path, -1);

  if (reply->type != PAS_SFTP_STATUS)
    {
      pas_sftp_refuse_reply (reply, path, error);
      return FALSE;
    }
  switch (reply->status)
    {
    case PAS_SFTP_OK:
      return TRUE;
    case PAS_SFTP_NO_SUCH_FILE:
      g_set_error (error, PAS_ERROR, PAS_ERROR_NOT_FOUND, _("“%s” does not exist on the server"), shown);
      return FALSE;
    case PAS_SFTP_PERMISSION_DENIED:
      g_set_error (error, PAS_ERROR, PAS_ERROR_PERMISSION_DENIED,
                   _("The server does not allow this on “%s”"), shown);
      return FALSE;
    case PAS_SFTP_OP_UNSUPPORTED:
      g_set_error (error, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED, _("The server does not support this operation"));
      return FALSE;
    case PAS_SFTP_NO_CONNECTION:
    case PAS_SFTP_CONNECTION_LOST:
      g_set_error (error, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("The server lost its connection"));
      return FALSE;
    default:
      {
        g_autofree char *message = reply->message != NULL ? g_utf8_make_valid (reply->message, -1) : NULL;
        g_set_error (error, PAS_ERROR, PAS_ERROR_FAILED, _("The server could not do this on “%s”: %s"), shown,
                     message != NULL && *message ? message : _("it gave no reason"));
      }
      return FALSE;
    }
}

/* For a reply that is not the answer asked for: the server's refusal when it
 * is one, a protocol error otherwise (a STATUS OK where data was due too). */
void
pas_sftp_refuse_reply (PasSftpReply *reply,
                       const char   *path,
                       GError      **error)
{
  if (reply->type == PAS_SFTP_STATUS && reply->status != PAS_SFTP_OK)
    pas_sftp_check_status (reply, path, error);
  else
    g_set_error (error, PAS_ERROR, PAS_ERROR_PROTOCOL,
                 _("The server sent an unexpected answer (type %u)"), reply->type);
}

/* For requests answered by a plain STATUS; the task data is the path. */
void
pas_sftp_status_reply_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply == NULL || !pas_sftp_check_status (reply, g_task_get_task_data (task), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

GTask *
pas_sftp_outer_task (PasSftpSession     *self,
                     const char         *path,
                     gpointer            source_tag,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (path), g_free);
  return task;
}

gboolean
pas_sftp_finish_boolean (PasSftpSession *self,
                         GAsyncResult   *result,
                         gpointer        source_tag,
                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
pas_sftp_finish_pointer (PasSftpSession *self,
                         GAsyncResult   *result,
                         gpointer        source_tag,
                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A request whose only argument is @path; @reply_cb interprets the answer. */
static void
send_path_request (PasSftpSession     *self,
                   PasSftpPacketType   type,
                   const char         *path,
                   GAsyncReadyCallback reply_cb,
                   gpointer            source_tag,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  guint32 id = pas_sftp_next_id (self);

  pas_sftp_send_request (self, id, pas_sftp_encode_path (type, id, path), cancellable, reply_cb,
                pas_sftp_outer_task (self, path, source_tag, cancellable, callback, user_data));
}

static void
realpath_reply_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply != NULL && reply->type == PAS_SFTP_NAME && reply->names->len == 1)
    {
      PasSftpName *name = g_ptr_array_index (reply->names, 0);
      g_task_return_pointer (task, g_strdup (name->filename), g_free);
      return;
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pas_sftp_session_realpath_async (PasSftpSession     *self,
                                 const char         *path,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_path_request (self, PAS_SFTP_REALPATH, path, realpath_reply_cb, pas_sftp_session_realpath_async, cancellable,
                     callback, user_data);
}

char *
pas_sftp_session_realpath_finish (PasSftpSession *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), NULL);

  return pas_sftp_finish_pointer (self, result, pas_sftp_session_realpath_async, error);
}

void
pas_sftp_attrs_reply_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);

  if (reply != NULL && reply->type == PAS_SFTP_ATTRS)
    {
      g_task_return_pointer (task, g_memdup2 (&reply->attrs, sizeof reply->attrs), g_free);
      return;
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
pas_sftp_session_stat_async (PasSftpSession     *self,
                             const char         *path,
                             gboolean            follow_links,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_path_request (self, follow_links ? PAS_SFTP_STAT : PAS_SFTP_LSTAT, path, pas_sftp_attrs_reply_cb,
                     pas_sftp_session_stat_async, cancellable, callback, user_data);
}

gboolean
pas_sftp_finish_attrs (PasSftpSession *self,
                       GAsyncResult   *result,
                       gpointer        source_tag,
                       PasSftpAttrs   *attrs,
                       GError        **error)
{
  g_autofree PasSftpAttrs *got = pas_sftp_finish_pointer (self, result, source_tag, error);

  if (got == NULL)
    return FALSE;
  *attrs = *got;
  return TRUE;
}

gboolean
pas_sftp_session_stat_finish (PasSftpSession *self,
                              GAsyncResult   *result,
                              PasSftpAttrs   *attrs,
                              GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_attrs (self, result, pas_sftp_session_stat_async, attrs, error);
}

void
pas_sftp_session_mkdir_async (PasSftpSession     *self,
                              const char         *path,
                              guint32             mode,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  PasSftpAttrs attrs = { .flags = PAS_SFTP_ATTR_PERMISSIONS, .permissions = mode & 0777 };
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  pas_sftp_send_request (self, id, pas_sftp_encode_mkdir (id, path, &attrs), cancellable, pas_sftp_status_reply_cb,
                pas_sftp_outer_task (self, path, pas_sftp_session_mkdir_async, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_mkdir_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_mkdir_async, error);
}

void
pas_sftp_session_rmdir_async (PasSftpSession     *self,
                              const char         *path,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_path_request (self, PAS_SFTP_RMDIR, path, pas_sftp_status_reply_cb, pas_sftp_session_rmdir_async, cancellable,
                     callback, user_data);
}

gboolean
pas_sftp_session_rmdir_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_rmdir_async, error);
}

void
pas_sftp_session_remove_async (PasSftpSession     *self,
                               const char         *path,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_path_request (self, PAS_SFTP_REMOVE, path, pas_sftp_status_reply_cb, pas_sftp_session_remove_async, cancellable,
                     callback, user_data);
}

gboolean
pas_sftp_session_remove_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_remove_async, error);
}

/* SFTP v3 answers a rename onto an existing name with a bare "Failure":
 * a look at the target says what it was. */
typedef struct
{
  GTask  *task;
  char   *to;
  GError *error;
} Rename;

static void
rename_free (Rename *r)
{
  g_clear_object (&r->task);
  g_free (r->to);
  g_clear_error (&r->error);
  g_free (r);
}

static void
rename_target_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Rename *r = data;
  PasSftpAttrs attrs;

  if (pas_sftp_session_stat_finish (PAS_SFTP_SESSION (source), result, &attrs, NULL))
    {
      g_autofree char *base = g_path_get_basename (r->to);
      g_autofree char *shown = pas_name_escape_for_display (base, -1);

      g_task_return_new_error (r->task, PAS_ERROR, PAS_ERROR_EXISTS, _("“%s” already exists"), shown);
    }
  else
    g_task_return_error (r->task, g_steal_pointer (&r->error));
  rename_free (r);
}

static void
rename_reply_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Rename *r = data;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &r->error);

  if (reply != NULL && pas_sftp_check_status (reply, g_task_get_task_data (r->task), &r->error))
    {
      g_task_return_boolean (r->task, TRUE);
      rename_free (r);
    }
  else if (g_error_matches (r->error, PAS_ERROR, PAS_ERROR_FAILED))
    pas_sftp_session_stat_async (PAS_SFTP_SESSION (g_task_get_source_object (r->task)), r->to, FALSE, NULL,
                                 rename_target_cb, r);
  else
    {
      g_task_return_error (r->task, g_steal_pointer (&r->error));
      rename_free (r);
    }
}

void
pas_sftp_session_rename_async (PasSftpSession     *self,
                               const char         *from,
                               const char         *to,
                               gboolean            overwrite,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  guint32 id;
  GBytes *packet;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  if (overwrite && pas_sftp_session_has_extension (self, "posix-rename@openssh.com"))
    {
      g_autoptr(GByteArray) args = g_byte_array_new ();

      pas_wire_put_cstring (args, from);
      pas_wire_put_cstring (args, to);
      packet = pas_sftp_encode_extended (id, "posix-rename@openssh.com", args->data, args->len);
    }
  else
    /* SFTP v3 RENAME never replaces an existing file (OpenSSH's sftp-server). */
    packet = pas_sftp_encode_rename (id, from, to);

  {
    Rename *r = g_new0 (Rename, 1);

    r->task = pas_sftp_outer_task (self, from, pas_sftp_session_rename_async, cancellable, callback, user_data);
    r->to = g_strdup (to);
    pas_sftp_send_request (self, id, packet, cancellable, rename_reply_cb, r);
  }
}

gboolean
pas_sftp_session_rename_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_rename_async, error);
}

void
pas_sftp_session_readlink_async (PasSftpSession     *self,
                                 const char         *path,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  send_path_request (self, PAS_SFTP_READLINK, path, realpath_reply_cb, pas_sftp_session_readlink_async, cancellable,
                     callback, user_data);
}

char *
pas_sftp_session_readlink_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), NULL);

  return pas_sftp_finish_pointer (self, result, pas_sftp_session_readlink_async, error);
}

static gboolean
need_extension (PasSftpSession *self,
                const char     *name,
                GTask          *task)
{
  if (pas_sftp_session_has_extension (self, name))
    return TRUE;
  g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_NOT_SUPPORTED,
                           _("The server does not support this operation"));
  g_object_unref (task);
  return FALSE;
}

/* An OpenSSH extension whose arguments are strings. */
void
pas_sftp_send_extended (PasSftpSession     *self,
                        const char         *name,
                        const char * const *strings,
                        GAsyncReadyCallback reply_cb,
                        GTask              *task)
{
  g_autoptr(GByteArray) args = g_byte_array_new ();
  guint32 id = pas_sftp_next_id (self);

  if (!need_extension (self, name, task))
    return;
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    pas_wire_put_cstring (args, strings[i]);
  pas_sftp_send_request (self, id, pas_sftp_encode_extended (id, name, args->data, args->len),
                g_task_get_cancellable (task), reply_cb, task);
}

void
pas_sftp_session_expand_path_async (PasSftpSession     *self,
                                    const char         *path,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  const char *args[] = { path, NULL };

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  pas_sftp_send_extended (self, "expand-path@openssh.com", args, realpath_reply_cb,
                 pas_sftp_outer_task (self, path, pas_sftp_session_expand_path_async, cancellable, callback,
                                      user_data));
}

char *
pas_sftp_session_expand_path_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), NULL);

  return pas_sftp_finish_pointer (self, result, pas_sftp_session_expand_path_async, error);
}

/* An explicit chmod may set setuid/setgid/sticky (07777), never a file type
 * or a size. (Modes a server gives us are masked to 0777 where we apply them
 * locally, in the transfer code.) */
PasSftpAttrs
pas_sftp_attrs_for_setstat (const PasSftpAttrs *attrs)
{
  PasSftpAttrs safe = *attrs;

  safe.flags &= PAS_SFTP_ATTR_UIDGID | PAS_SFTP_ATTR_PERMISSIONS | PAS_SFTP_ATTR_ACMODTIME;
  safe.permissions &= 07777;
  return safe;
}

void
pas_sftp_session_setstat_async (PasSftpSession     *self,
                                const char         *path,
                                const PasSftpAttrs *attrs,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  PasSftpAttrs safe = pas_sftp_attrs_for_setstat (attrs);
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  pas_sftp_send_request (self, id, pas_sftp_encode_setstat (id, path, &safe), cancellable, pas_sftp_status_reply_cb,
                pas_sftp_outer_task (self, path, pas_sftp_session_setstat_async, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_setstat_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_setstat_async, error);
}

void
pas_sftp_session_symlink_async (PasSftpSession     *self,
                                const char         *link_path,
                                const char         *target,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  guint32 id;

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  id = pas_sftp_next_id (self);
  pas_sftp_send_request (self, id, pas_sftp_encode_symlink (id, link_path, target), cancellable,
                         pas_sftp_status_reply_cb,
                pas_sftp_outer_task (self, link_path, pas_sftp_session_symlink_async, cancellable, callback,
                                     user_data));
}

gboolean
pas_sftp_session_symlink_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_symlink_async, error);
}

void
pas_sftp_session_hardlink_async (PasSftpSession     *self,
                                 const char         *existing,
                                 const char         *new_path,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  const char *args[] = { existing, new_path, NULL };

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  pas_sftp_send_extended (self, "hardlink@openssh.com", args, pas_sftp_status_reply_cb,
                 pas_sftp_outer_task (self, new_path, pas_sftp_session_hardlink_async, cancellable, callback,
                                      user_data));
}

gboolean
pas_sftp_session_hardlink_finish (PasSftpSession *self,
GAsyncResult   *result,
GError        **error)
{
  g_return_val_if_fail (PAS_IS_SFTP_SESSION (self), FALSE);

  return pas_sftp_finish_boolean (self, result, pas_sftp_session_hardlink_async, error);
}

/* EXTENDED_REPLY bodies made of u64 fields (statvfs: 11, limits: 4). */
static void
u64_reply_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpReply) reply = pas_sftp_reply_finish (result, &error);
  guint count = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "u64-count"));

  if (reply != NULL && reply->type == PAS_SFTP_EXTENDED_REPLY)
    {
      PasWireReader r;
      guint64 *values = g_new0 (guint64, count);

      pas_wire_reader_init (&r, g_bytes_get_data (reply->bytes, NULL), g_bytes_get_size (reply->bytes));
      for (guint i = 0; i < count; i++)
        pas_wire_read_u64 (&r, &values[i]);
      if (pas_wire_reader_at_end (&r))
        {
          g_task_return_pointer (task, values, g_free);
          return;
        }
      g_free (values);
    }
  if (reply != NULL)
    pas_sftp_refuse_reply (reply, g_task_get_task_data (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

static GTask *
u64_task (PasSftpSession     *self,
          const char         *path,
          guint               count,
          gpointer            source_tag,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data)
{
  GTask *task = pas_sftp_outer_task (self, path, source_tag, cancellable, callback, user_data);

  g_object_set_data (G_OBJECT (task), "u64-count", GUINT_TO_POINTER (count));
  return task;
}

void
pas_sftp_session_statvfs_async (PasSftpSession     *self,
                                const char         *path,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  const char *args[] = { path, NULL };

  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  pas_sftp_send_extended (self, "statvfs@openssh.com", args, u64_reply_cb,
                 u64_task (self, path, 11, pas_sftp_session_statvfs_async, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_statvfs_finish (PasSftpSession *self,
                                 GAsyncResult   *result,
                                 PasSftpStatvfs *statvfs,
                                 GError        **error)
{
  g_autofree guint64 *v = pas_sftp_finish_pointer (self, result, pas_sftp_session_statvfs_async, error);

  if (v == NULL)
    return FALSE;
  *statvfs = (PasSftpStatvfs) { v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10] };
  return TRUE;
}

void
pas_sftp_session_limits_async (PasSftpSession     *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (PAS_IS_SFTP_SESSION (self));

  pas_sftp_send_extended (self, "limits@openssh.com", NULL, u64_reply_cb,
                 u64_task (self, "", 4, pas_sftp_session_limits_async, cancellable, callback, user_data));
}

gboolean
pas_sftp_session_limits_finish (PasSftpSession *self,
                                GAsyncResult   *result,
                                PasSftpLimits  *limits,
                                GError        **error)
{
  g_autofree guint64 *v = pas_sftp_finish_pointer (self, result, pas_sftp_session_limits_async, error);

  if (v == NULL)
    return FALSE;
  *limits = (PasSftpLimits) { v[0], v[1], v[2], v[3] };
  return TRUE;
}

