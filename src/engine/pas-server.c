#define G_LOG_DOMAIN "pas-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pas-error.h"
#include "pas-engine-enums.h"
#include "pas-server.h"

/* Channels for the queue besides the browsing ones, so browsing stays
 * responsive while transfers run. */
#define TRANSFER_CHANNELS 2

struct _PasServer
{
  GObject           parent_instance;

  PasDestination   *destination;
  PasServerState    state;
  GError           *error;
  PasHostKeyChange *host_key_change;    /* with a PAS_ERROR_HOST_KEY_CHANGED error */
  PasConnection    *connection;
  PasSftpSession   *main_sftp;          /* the first channel: home, and the queue's when no other opens */
  char             *home;
  GPtrArray        *transfer_sessions;  /* of PasSftpSession */
  PasTransferQueue *queue;
  GPtrArray        *waiting;            /* of Waiter: callers of connect_async */
  GCancellable     *cancellable;        /* this connect and its channels */
};

typedef struct
{
  PasServer    *self;
  GTask        *task;
  GCancellable *cancellable;
  gulong        handler;
} Waiter;

enum {
  PROP_0,
  PROP_DESTINATION,
  PROP_STATE,
  PROP_ERROR,
  PROP_HOME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PasServer, pas_server, G_TYPE_OBJECT)

static void
set_state (PasServer     *self,
           PasServerState state)
{
  if (self->state == state)
    return;
  g_debug ("%s: state %d", pas_destination_get_key (self->destination), state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- waiters ---------------------------------------------------------------- */

static void
waiter_free (Waiter *waiter)
{
  if (waiter->handler != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->handler);
  g_clear_object (&waiter->cancellable);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

/* Every caller gets @error (or success, when NULL). */
static void
answer_waiters (PasServer    *self,
                const GError *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  for (guint i = 0; i < waiting->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_boolean (waiter->task, TRUE);
    }
}

typedef struct
{
  PasServer *self;     /* a reference */
  Waiter    *waiter;   /* not touched until found among the waiting */
} Cancelled;

static void
cancelled_free (Cancelled *c)
{
  g_object_unref (c->self);
  g_free (c);
}

static gboolean
waiter_cancelled_idle (gpointer data)
{
  Cancelled *c = data;
  PasServer *self = c->self;
  guint index;

  /* It may have been answered meanwhile. */
  if (!g_ptr_array_find (self->waiting, c->waiter, &index))
    return G_SOURCE_REMOVE;
  g_task_return_error_if_cancelled (c->waiter->task);
  g_ptr_array_remove_index (self->waiting, index);
  /* Nobody waits any more: the connect stops. */
  if (self->waiting->len == 0 && self->state == PAS_SERVER_CONNECTING)
    pas_server_disconnect (self);
  return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb (GCancellable *cancellable,
                     Waiter       *waiter)
{
  Cancelled *c = g_new0 (Cancelled, 1);
  g_autoptr(GSource) idle = g_idle_source_new ();

  /* Any thread, inside the signal: handled later in the server's context
   * (freeing the waiter disconnects this handler, which may not happen from
   * within it). */
  c->self = g_object_ref (waiter->self);
  c->waiter = waiter;
  g_source_set_callback (idle, waiter_cancelled_idle, c, (GDestroyNotify) cancelled_free);
  g_source_attach (idle, g_task_get_context (waiter->task));
}

/* ---- connecting ---------------------------------------------------------------- */

static void
give_queue_sessions (PasServer *self)
{
  if (self->queue == NULL)
    return;
  if (self->state != PAS_SERVER_CONNECTED)
    pas_transfer_queue_set_sessions (self->queue, pas_server_get_key (self), NULL, 0);
  else if (self->transfer_sessions->len > 0)
    pas_transfer_queue_set_sessions (self->queue, pas_server_get_key (self),
                                     (PasSftpSession * const *) self->transfer_sessions->pdata,
                                     self->transfer_sessions->len);
  else if (self->main_sftp != NULL)
    pas_transfer_queue_set_sessions (self->queue, pas_server_get_key (self), &self->main_sftp, 1);
}

static void
transfer_session_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PasServer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpSession) sftp = pas_sftp_session_open_finish (result, &error);

  if (sftp == NULL)
    {
      /* Transfers then share the first channel. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no extra channel for transfers: %s", error->message);
      return;
    }
  /* An earlier connection's channels were cancelled with it. */
  if (self->state != PAS_SERVER_CONNECTED)
    return;
  g_ptr_array_add (self->transfer_sessions, g_steal_pointer (&sftp));
  give_queue_sessions (self);
}

static void
failed (PasServer    *self,
        const GError *error)
{
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&self->error);
  if (!cancelled)
    self->error = g_error_copy (error);
  g_clear_object (&self->main_sftp);
  g_ptr_array_set_size (self->transfer_sessions, 0);
  if (self->connection != NULL)
    pas_connection_close (self->connection);
  g_clear_object (&self->connection);
  set_state (self, cancelled ? PAS_SERVER_DISCONNECTED : PAS_SERVER_FAILED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  give_queue_sessions (self);
  answer_waiters (self, error);
}

static void
home_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PasServer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = pas_sftp_session_realpath_finish (PAS_SFTP_SESSION (source), result, &error);

  if (self->state != PAS_SERVER_CONNECTING || source != (GObject *) self->main_sftp)
    return;
  if (home == NULL)
    {
      failed (self, error);
      return;
    }
  g_free (self->home);
  self->home = g_steal_pointer (&home);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOME]);
  set_state (self, PAS_SERVER_CONNECTED);
  give_queue_sessions (self);
  answer_waiters (self, NULL);
  for (guint i = 0; i < TRANSFER_CHANNELS; i++)
    pas_sftp_session_open_async (self->connection, pas_destination_get_sftp_server (self->destination),
                                 self->cancellable, transfer_session_cb, g_object_ref (self));
}

static void
main_sftp_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PasServer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpSession) sftp = pas_sftp_session_open_finish (result, &error);

  if (self->state != PAS_SERVER_CONNECTING)
    return;
  if (sftp == NULL)
    {
      failed (self, error);
      return;
    }
  self->main_sftp = g_steal_pointer (&sftp);
  pas_sftp_session_realpath_async (self->main_sftp, ".", self->cancellable, home_cb, g_object_ref (self));
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PasServer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pas_connection_connect_finish (PAS_CONNECTION (source), result, &error))
    {
      if (self->state == PAS_SERVER_CONNECTING && source == (GObject *) self->connection)
        {
          self->host_key_change = pas_host_key_change_copy (pas_connection_get_host_key_change (self->connection));
          failed (self, error);
        }
      return;
    }
  if (self->state != PAS_SERVER_CONNECTING || source != (GObject *) self->connection)
    return;
  pas_sftp_session_open_async (self->connection, pas_destination_get_sftp_server (self->destination),
                               self->cancellable, main_sftp_cb, g_object_ref (self));
}

void
pas_server_connect_async (PasServer          *self,
                          PasInteraction     *interaction,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  Waiter *waiter;

  g_return_if_fail (PAS_IS_SERVER (self));
  g_return_if_fail (interaction == NULL || PAS_IS_INTERACTION (interaction));

  waiter = g_new0 (Waiter, 1);
  waiter->self = self;
  waiter->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter->task, pas_server_connect_async);
  if (self->state == PAS_SERVER_CONNECTED)
    {
      g_task_return_boolean (waiter->task, TRUE);
      waiter_free (waiter);
      return;
    }
  if (cancellable != NULL)
    {
      waiter->cancellable = g_object_ref (cancellable);
      waiter->handler = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled_cb), waiter, NULL);
    }
  g_ptr_array_add (self->waiting, waiter);
  if (self->state == PAS_SERVER_CONNECTING)
    return;

  g_clear_error (&self->error);
  g_clear_pointer (&self->host_key_change, pas_host_key_change_free);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->connection = pas_connection_new_for_destination (self->destination);
  if (interaction != NULL)
    pas_connection_set_interaction (self->connection, interaction);
  set_state (self, PAS_SERVER_CONNECTING);
  pas_connection_connect_async (self->connection, self->cancellable, connected_cb, g_object_ref (self));
}

gboolean
pas_server_connect_finish (PasServer    *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_server_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PasSftpSession *sftp = pas_sftp_session_open_finish (result, &error);

  if (sftp == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sftp, g_object_unref);
}

void
pas_server_open_sftp_async (PasServer          *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAS_IS_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pas_server_open_sftp_async);
  if (self->state != PAS_SERVER_CONNECTED)
    {
      g_task_return_new_error (task, PAS_ERROR, PAS_ERROR_DISCONNECTED, _("Not connected"));
      return;
    }
  pas_sftp_session_open_async (self->connection, pas_destination_get_sftp_server (self->destination), cancellable,
                               opened_cb, g_steal_pointer (&task));
}

PasSftpSession *
pas_server_open_sftp_finish (PasServer    *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_server_open_sftp_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pas_server_disconnect (PasServer *self)
{
  g_autoptr(GError) cancelled = NULL;

  g_return_if_fail (PAS_IS_SERVER (self));

  if (self->state == PAS_SERVER_DISCONNECTED)
    return;
  g_cancellable_cancel (self->cancellable);
  cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The connection was closed"));
  failed (self, cancelled);
}

void
pas_server_report_lost (PasServer    *self,
                        const GError *error)
{
  g_return_if_fail (PAS_IS_SERVER (self));
  g_return_if_fail (error != NULL);

  if (self->state != PAS_SERVER_CONNECTED)
    return;
  g_debug ("%s: lost (%s)", pas_destination_get_key (self->destination), error->message);
  g_cancellable_cancel (self->cancellable);
  failed (self, error);
}

/* ---- the object --------------------------------------------------------------- */

PasServer *
pas_server_new (PasDestination *destination)
{
  g_return_val_if_fail (destination != NULL, NULL);

  return g_object_new (PAS_TYPE_SERVER, "destination", destination, NULL);
}

PasDestination *
pas_server_get_destination (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), NULL);
  return self->destination;
}

void
pas_server_set_destination (PasServer      *self,
                            PasDestination *destination)
{
  g_return_if_fail (PAS_IS_SERVER (self));
  g_return_if_fail (destination != NULL);
  g_return_if_fail (g_str_equal (pas_destination_get_key (destination), pas_server_get_key (self)));
  g_return_if_fail (self->state != PAS_SERVER_CONNECTED && self->state != PAS_SERVER_CONNECTING);

  if (pas_destination_equal (self->destination, destination))
    return;
  pas_destination_unref (self->destination);
  self->destination = pas_destination_ref (destination);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
}

const char *
pas_server_get_key (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), NULL);
  return pas_destination_get_key (self->destination);
}

PasServerState
pas_server_get_state (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), PAS_SERVER_DISCONNECTED);
  return self->state;
}

/* What the server offered when its error is PAS_ERROR_HOST_KEY_CHANGED. */
const PasHostKeyChange *
pas_server_get_host_key_change (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), NULL);
  return self->state == PAS_SERVER_FAILED ? self->host_key_change : NULL;
}

const GError *
pas_server_get_error (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), NULL);
  return self->error;
}

PasConnection *
pas_server_get_connection (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), NULL);
  return self->state == PAS_SERVER_CONNECTED ? self->connection : NULL;
}

const char *
pas_server_get_home (PasServer *self)
{
  g_return_val_if_fail (PAS_IS_SERVER (self), NULL);
  return self->home;
}

void
pas_server_set_queue (PasServer        *self,
                      PasTransferQueue *queue)
{
  g_return_if_fail (PAS_IS_SERVER (self));
  g_return_if_fail (queue == NULL || PAS_IS_TRANSFER_QUEUE (queue));

  if (self->queue == queue)
    return;
  if (self->queue != NULL)
    pas_transfer_queue_set_sessions (self->queue, pas_server_get_key (self), NULL, 0);
  g_set_object (&self->queue, queue);
  give_queue_sessions (self);
}

static void
pas_server_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PasServer *self = PAS_SERVER (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      g_value_set_boxed (value, self->destination);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_HOME:
      g_value_set_string (value, self->home);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_server_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PasServer *self = PAS_SERVER (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      self->destination = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_server_dispose (GObject *object)
{
  PasServer *self = PAS_SERVER (object);

  if (self->state != PAS_SERVER_DISCONNECTED)
    pas_server_disconnect (self);
  if (self->queue != NULL)
    pas_transfer_queue_set_sessions (self->queue, pas_server_get_key (self), NULL, 0);
  g_clear_object (&self->queue);
  G_OBJECT_CLASS (pas_server_parent_class)->dispose (object);
}

static void
pas_server_finalize (GObject *object)
{
  PasServer *self = PAS_SERVER (object);

  g_clear_pointer (&self->destination, pas_destination_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->host_key_change, pas_host_key_change_free);
  g_clear_object (&self->cancellable);
  g_free (self->home);
  g_ptr_array_unref (self->transfer_sessions);
  g_ptr_array_unref (self->waiting);
  G_OBJECT_CLASS (pas_server_parent_class)->finalize (object);
}

static void
pas_server_class_init (PasServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = pas_server_get_property;
  object_class->set_property = pas_server_set_property;
  object_class->dispose = pas_server_dispose;
  object_class->finalize = pas_server_finalize;

  properties[PROP_DESTINATION] = g_param_spec_boxed ("destination", NULL, NULL, PAS_TYPE_DESTINATION,
                                                     G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                     G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PAS_TYPE_SERVER_STATE, PAS_SERVER_DISCONNECTED,
                                              flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_HOME] = g_param_spec_string ("home", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pas_server_init (PasServer *self)
{
  self->transfer_sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
}
