#define G_LOG_DOMAIN "pas-browser"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-app-enums.h"
#include "pas-application.h"
#include "pas-browser-private.h"
#include "pas-host-key-danger.h"
#include "pas-gtk-interaction.h"
#include "pas-opened-file.h"
#include "pas-alert.h"

G_DEFINE_FINAL_TYPE (PasBrowser, pas_browser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_TITLE,
  PROP_FOLLOW_FOLDERS,
  PROP_COMPARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- small helpers shared with pas-browser-actions.c ---------------------- */

AdwToast *
pas_browser_toast (PasBrowser *self,
                   const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_debug ("toast: %s", text);
  if (overlay == NULL)
    return NULL;
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

/* An operation failed: its human message (and remedy) as a toast; a lost
 * connection turns the tab into its reconnect page. */
void
pas_browser_report (PasBrowser   *self,
                    const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error->domain == PAS_ERROR &&
      (error->code == PAS_ERROR_DISCONNECTED || error->code == PAS_ERROR_NETWORK ||
       error->code == PAS_ERROR_TIMED_OUT) &&
      self->state == PAS_BROWSER_CONNECTED)
    {
      /* Every tab on this server learns it (server_state_cb). */
      pas_server_report_lost (self->server, error);
      return;
    }
  text = pas_error_describe (error, " ");
  pas_browser_toast (self, text);
}

static void
set_state (PasBrowser     *self,
           PasBrowserState state)
{
  if (self->state == state)
    return;
  self->state = state;
  /* A spinner keeps the frame clock running even on a hidden page: it spins
   * only while connecting, so an idle window sleeps. */
  gtk_spinner_set_spinning (self->connecting_spinner, state == PAS_BROWSER_CONNECTING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.reconnect", state == PAS_BROWSER_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.edit", state == PAS_BROWSER_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.disconnect", state == PAS_BROWSER_CONNECTED ||
                                                                         state == PAS_BROWSER_CONNECTING);
  pas_browser_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* This tab's side of the connection: its browsing channel. The connection
 * itself is the server's (PasServer), shared with the other tabs on it, the
 * queue and Test Connection. */
static void
drop_connection (PasBrowser *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->remote_pane != NULL)
    pas_file_pane_set_session (self->remote_pane, NULL);
  g_clear_object (&self->sftp);
}

static gboolean
is_host_key_danger (const GError *error)
{
  return g_error_matches (error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED) ||
         g_error_matches (error, PAS_ERROR, PAS_ERROR_HOST_KEY_REVOKED);
}

static void
host_key_danger_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;

  if (pas_host_key_danger_present_finish (result, &error))
    pas_browser_connect (self);
  else if (error != NULL)
    pas_browser_toast (self, error->message);
}

/* A changed or revoked key gets its own warning, never the new-key question. */
static void
show_host_key_danger (PasBrowser   *self,
                      const GError *error)
{
  const PasHostKeyChange *change = self->server != NULL ? pas_server_get_host_key_change (self->server) : NULL;

  pas_host_key_danger_present_async (GTK_WIDGET (self), error, change, NULL, host_key_danger_cb, g_object_ref (self));
}

void
pas_browser_set_failed (PasBrowser   *self,
                        const GError *error)
{
  g_autofree char *text = pas_error_describe (error, "\n");
  gboolean was_connected = self->state == PAS_BROWSER_CONNECTED;

  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  drop_connection (self);
  adw_status_page_set_title (self->failed_page, was_connected ? _("Connection Lost") : _("Could Not Connect"));
  adw_status_page_set_description (self->failed_page, text);
  adw_status_page_set_icon_name (self->failed_page, is_host_key_danger (error) ? "security-low-symbolic"
                                                                              : "network-offline-symbolic");
  gtk_stack_set_visible_child_name (self->stack, "failed");
  set_state (self, PAS_BROWSER_FAILED);
  if (is_host_key_danger (error))
    show_host_key_danger (self, error);
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    /* Return then does what the highlighted button says. */
    gtk_widget_grab_focus (self->reconnect_button);
}

/* ---- connecting ------------------------------------------------------------ */

/* Items of this server that came back from an earlier run ask their
 * conflict questions here, too. */
static void
adopt_queue_items (PasBrowser *self)
{
  GListModel *model = G_LIST_MODEL (self->queue);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (pas_transfer_queue_get_server (self->queue, t), self->server_key) == 0)
        pas_transfer_set_interaction (t, PAS_INTERACTION (self->interaction));
    }
}

/* Where the remote pane starts: the address's or session's folder ("~/x"
 * and relative paths from home), else home. */
static char *
start_folder (PasBrowser *self,
              const char *home)
{
  const char *path = pas_destination_get_remote_folder (self->destination);

  if (path == NULL || g_strcmp0 (path, "~") == 0)
    return g_strdup (home);
  if (g_str_has_prefix (path, "~/"))
    return g_build_path ("/", home, path + 2, NULL);
  if (path[0] != '/')
    return g_build_path ("/", home, path, NULL);
  return g_strdup (path);
}

static void
sftp_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpSession) sftp = pas_server_open_sftp_finish (PAS_SERVER (source), result, &error);
  g_autofree char *start = NULL;
  const char *home;

  if (self->state != PAS_BROWSER_CONNECTING || (GObject *) self->server != source)
    return;
  if (sftp == NULL)
    {
      pas_browser_set_failed (self, error);
      return;
    }
  self->sftp = g_steal_pointer (&sftp);
  home = pas_server_get_home (self->server);
  start = start_folder (self, home);
  pas_file_pane_set_session (self->remote_pane, self->sftp);
  pas_file_pane_set_home (self->remote_pane, home);
  pas_file_pane_set_location (self->remote_pane, start);
  gtk_stack_set_visible_child_name (self->stack, "browse");
  set_state (self, PAS_BROWSER_CONNECTED);
  pas_file_pane_focus_list (self->remote_pane);
  adopt_queue_items (self);
}

static void
server_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pas_server_connect_finish (PAS_SERVER (source), result, &error))
    {
      pas_gtk_interaction_forget_secrets (self->interaction);
      if (self->state == PAS_BROWSER_CONNECTING && (GObject *) self->server == source &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pas_browser_set_failed (self, error);
      return;
    }
  if (self->state != PAS_BROWSER_CONNECTING || (GObject *) self->server != source)
    return;
  pas_gtk_interaction_commit_secrets (self->interaction);
  pas_server_open_sftp_async (self->server, self->cancellable, sftp_cb, g_object_ref (self));
}

static void
show_disconnected (PasBrowser *self)
{
  g_autoptr(GError) error = g_error_new_literal (PAS_ERROR, PAS_ERROR_DISCONNECTED, _("Disconnected."));

  pas_browser_set_failed (self, error);
  adw_status_page_set_title (self->failed_page, _("Disconnected"));
  adw_status_page_set_description (self->failed_page, _("Transfers to this server wait until you reconnect."));
}

/* A tab found the connection gone, or disconnected the server. */
static void
server_state_cb (PasServer  *server,
                 GParamSpec *pspec,
                 PasBrowser *self)
{
  PasServerState state = pas_server_get_state (server);

  if (state == PAS_SERVER_FAILED && pas_server_get_error (server) != NULL && self->state == PAS_BROWSER_CONNECTED)
    pas_browser_set_failed (self, pas_server_get_error (server));
  else if (state == PAS_SERVER_DISCONNECTED &&
           (self->state == PAS_BROWSER_CONNECTED || self->state == PAS_BROWSER_CONNECTING))
    show_disconnected (self);
}

static void
use_server (PasBrowser *self,
            PasServer  *server)
{
  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  g_set_object (&self->server, server);
  g_free (self->server_key);
  self->server_key = g_strdup (pas_server_get_key (server));
  g_signal_connect_object (server, "notify::state", G_CALLBACK (server_state_cb), self, 0);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PasBrowser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PasDestination) destination = self->session != NULL
    ? pas_resolver_resolve_session_finish (PAS_RESOLVER (source), result, &error)
    : pas_resolver_resolve_finish (PAS_RESOLVER (source), result, &error);
  g_autoptr(PasServer) server = NULL;
  GApplication *app = g_application_get_default ();

  if (self->state != PAS_BROWSER_CONNECTING || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (destination == NULL)
    {
      pas_browser_set_failed (self, error);
      return;
    }
  server = PAS_IS_APPLICATION (app) ? pas_application_get_server (PAS_APPLICATION (app), destination)
                                    : pas_server_new (destination);
  g_clear_pointer (&self->destination, pas_destination_unref);
  self->destination = g_steal_pointer (&destination);
  use_server (self, server);
  pas_server_connect_async (self->server, PAS_INTERACTION (self->interaction), self->cancellable,
                            server_connected_cb, g_object_ref (self));
}

void
pas_browser_connect (PasBrowser *self)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(PasResolver) own_resolver = NULL;
  PasResolver *resolver;
  g_autofree char *text = NULL;

  g_return_if_fail (PAS_IS_BROWSER (self));

  drop_connection (self);
  g_clear_error (&self->error);
  self->cancellable = g_cancellable_new ();
  set_state (self, PAS_BROWSER_CONNECTING);

  /* Translators: %s is a server such as root@example.com */
  text = g_strdup_printf (_("Connecting to %s…"), self->title);
  adw_status_page_set_title (self->connecting_page, text);
  gtk_stack_set_visible_child_name (self->stack, "connecting");

  /* Resolved again on every connect, off the UI thread (files are read):
   * a Reconnect uses ~/.ssh/config and the settings as they are now. */
  resolver = PAS_IS_APPLICATION (app) ? pas_application_get_resolver (PAS_APPLICATION (app))
                                      : (own_resolver = pas_resolver_new ());
  if (self->session != NULL)
    pas_resolver_resolve_session_async (resolver, self->session, self->cancellable, resolved_cb,
                                        g_object_ref (self));
  else
    pas_resolver_resolve_async (resolver, self->address, self->cancellable, resolved_cb, g_object_ref (self));
}

/* The tab goes away: its own channel closes, and the server's connection
 * too when no other view needs it and the queue has no transfers for it
 * (pas_application_get_server()). */
void
pas_browser_close (PasBrowser *self)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  drop_connection (self);
  set_state (self, PAS_BROWSER_CLOSED);
  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  g_clear_object (&self->server);
}

/* Ends this server's connection, for every tab on it (server_state_cb
 * shows each the Disconnected page). */
void
pas_browser_disconnect (PasBrowser *self)
{
  g_return_if_fail (PAS_IS_BROWSER (self));

  if (self->server != NULL && pas_server_get_state (self->server) != PAS_SERVER_DISCONNECTED)
    pas_server_disconnect (self->server);
  else
    show_disconnected (self);
}

/* ---- accessors ---------------------------------------------------------- */

/**
 * pas_browser_new:
 * @address: what was typed or opened: a host, an alias, a session's name
 *
 * A tab for @address, resolved (pas-resolver.h) when it connects.
 */
static void
set_title (PasBrowser *self,
           char       *title)
{
  g_free (self->title);
  self->title = title;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
pas_browser_set_address (PasBrowser       *self,
                         const PasAddress *address)
{
  GString *title = g_string_new (NULL);

  g_clear_pointer (&self->address, pas_address_free);
  g_clear_object (&self->session);
  self->address = pas_address_copy (address);
  if (address->user != NULL)
    g_string_append_printf (title, "%s@", address->user);
  g_string_append (title, strchr (address->name, ':') != NULL ? "[" : "");
  g_string_append (title, address->name);
  g_string_append (title, strchr (address->name, ':') != NULL ? "]" : "");
  if (address->port != 0)
    g_string_append_printf (title, ":%u", address->port);
  set_title (self, g_string_free (title, FALSE));
}

void
pas_browser_set_session (PasBrowser *self,
                         PasSession *session)
{
  const char *name = pas_session_get_name (session);

  g_clear_pointer (&self->address, pas_address_free);
  g_clear_object (&self->session);
  self->session = pas_session_copy (session);
  set_title (self, g_strdup (name != NULL && name[0] != '\0' ? name : pas_session_get_host (session)));
}

static void
set_queue (PasBrowser       *self,
           PasTransferQueue *queue)
{
  self->queue = g_object_ref (queue);
  g_signal_connect_object (queue, "item-ended", G_CALLBACK (pas_browser_transfer_ended_cb), self, 0);
}

PasBrowser *
pas_browser_new (const PasAddress *address,
                 PasTransferQueue *queue)
{
  PasBrowser *self = g_object_new (PAS_TYPE_BROWSER, NULL);

  set_queue (self, queue);
  pas_browser_set_address (self, address);
  return self;
}

PasBrowser *
pas_browser_new_for_session (PasSession       *session,
                             PasTransferQueue *queue)
{
  PasBrowser *self = g_object_new (PAS_TYPE_BROWSER, NULL);

  set_queue (self, queue);
  pas_browser_set_session (self, session);
  if (pas_session_get_local_folder (session) != NULL && pas_session_get_local_folder (session)[0] != '\0')
    pas_file_pane_set_location (self->local_pane, pas_session_get_local_folder (session));
  return self;
}

PasBrowserState
pas_browser_get_state (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), PAS_BROWSER_CLOSED);

  return self->state;
}

const GError *
pas_browser_get_error (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->error;
}

const char *
pas_browser_get_title (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->title;
}

const char *
pas_browser_get_server_key (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->server_key;
}

PasFilePane *
pas_browser_get_local_pane (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->local_pane;
}

PasFilePane *
pas_browser_get_remote_pane (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->remote_pane;
}

PasConnection *
pas_browser_get_connection (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->server != NULL && self->state == PAS_BROWSER_CONNECTED ? pas_server_get_connection (self->server)
                                                                      : NULL;
}

PasServer *
pas_browser_get_server (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->server;
}

PasFilePane *
pas_browser_get_active_pane (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), NULL);

  return self->active_pane;
}

/* ---- GObject ------------------------------------------------------------ */

static void
reconnect_clicked_cb (GtkButton  *button,
                      PasBrowser *self)
{
  pas_browser_connect (self);
}

/* The active pane is the one holding the window's focus widget (watched on
 * the window: focus controllers only hear about it while the window is the
 * active one). */
static void
set_active_pane (PasBrowser  *self,
                 PasFilePane *pane)
{
  if (self->active_pane == pane)
    return;
  gtk_widget_remove_css_class (GTK_WIDGET (self->active_pane), "active-pane");
  self->active_pane = pane;
  gtk_widget_add_css_class (GTK_WIDGET (pane), "active-pane");
  pas_browser_update_actions (self);
}

static void
focus_widget_cb (GtkWindow  *window,
                 GParamSpec *pspec,
                 PasBrowser *self)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  PasFilePane *pane;

  if (focus == NULL)
    return;
  if (focus == GTK_WIDGET (self->local_pane) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->local_pane)))
    pane = self->local_pane;
  else if (focus == GTK_WIDGET (self->remote_pane) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->remote_pane)))
    pane = self->remote_pane;
  else
    return;
  set_active_pane (self, pane);
}

/* A click anywhere in a pane makes it the active one, also on an empty
 * folder's page or below the last row, where nothing takes the focus. */
static void
pane_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 PasBrowser      *self)
{
  /* Only that: giving the list the focus would select its first row (the
   * keyboard's rule), and F5 would copy what nobody chose. */
  set_active_pane (self, PAS_FILE_PANE (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture))));
}

static void
watch_presses (PasBrowser  *self,
               PasFilePane *pane)
{
  GtkGesture *click = gtk_gesture_click_new ();

  /* Seen before the rows' own gestures; it claims nothing. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (pane_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (pane), GTK_EVENT_CONTROLLER (click));
}

static void
pas_browser_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PasBrowser *self = PAS_BROWSER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_FOLLOW_FOLDERS:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_COMPARE:
      g_value_set_boolean (value, self->compare);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_browser_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PasBrowser *self = PAS_BROWSER (object);

  switch (prop_id)
    {
    case PROP_FOLLOW_FOLDERS:
      pas_browser_set_follow_folders (self, g_value_get_boolean (value));
      break;
    case PROP_COMPARE:
      pas_browser_set_compare (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_browser_dispose (GObject *object)
{
  PasBrowser *self = PAS_BROWSER (object);

  drop_connection (self);
  pas_browser_dispose_fold (self);
  pas_browser_dispose_follow (self);
  if (self->sync_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->sync_toast), (gpointer *) &self->sync_toast);
  self->sync_toast = NULL;
  pas_browser_dispose_compare (self);
  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  g_clear_object (&self->server);
  if (self->opened != NULL)
    for (guint i = 0; i < self->opened->len; i++)
      {
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->opened, i), self);
        pas_opened_file_stop (g_ptr_array_index (self->opened, i));
      }
  gtk_widget_dispose_template (GTK_WIDGET (self), PAS_TYPE_BROWSER);

  G_OBJECT_CLASS (pas_browser_parent_class)->dispose (object);
}

static void
pas_browser_finalize (GObject *object)
{
  PasBrowser *self = PAS_BROWSER (object);

  g_clear_object (&self->queue);
  g_clear_object (&self->interaction);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->opened, g_ptr_array_unref);
  g_clear_pointer (&self->address, pas_address_free);
  g_clear_error (&self->error);
  g_clear_object (&self->session);
  g_free (self->title);
  g_free (self->server_key);
  g_clear_pointer (&self->destination, pas_destination_unref);

  G_OBJECT_CLASS (pas_browser_parent_class)->finalize (object);
}

static void
pas_browser_root (GtkWidget *widget)
{
  PasBrowser *self = PAS_BROWSER (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (pas_browser_parent_class)->root (widget);

  /* Dialogs need a window to sit on: the one this tab is shown in. */
  root = gtk_widget_get_root (widget);
  if (self->interaction == NULL)
    self->interaction = pas_gtk_interaction_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::focus-widget", G_CALLBACK (focus_widget_cb), self, 0);
}

static void
pas_browser_unroot (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  g_signal_handlers_disconnect_by_func (root, focus_widget_cb, widget);
  GTK_WIDGET_CLASS (pas_browser_parent_class)->unroot (widget);
}

static void
pas_browser_class_init (PasBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = pas_browser_get_property;
  object_class->set_property = pas_browser_set_property;
  object_class->dispose = pas_browser_dispose;
  object_class->finalize = pas_browser_finalize;

  widget_class->root = pas_browser_root;
  widget_class->unroot = pas_browser_unroot;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PAS_TYPE_BROWSER_STATE, PAS_BROWSER_CONNECTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Browsing both folders together (pas-browser-follow.c). */
  properties[PROP_FOLLOW_FOLDERS] =
    g_param_spec_boolean ("follow-folders", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Compare marks (pas-browser-compare.c). */
  properties[PROP_COMPARE] =
    g_param_spec_boolean ("compare", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PAS_TYPE_FILE_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, stack);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, failed_page);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, reconnect_button);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, local_pane);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, remote_pane);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, reconnect_clicked_cb);

  pas_browser_class_init_actions (widget_class);
  pas_browser_class_init_fold (widget_class);
}

static void
default_folder_failed_cb (PasFilePane  *pane,
                          const GError *error,
                          PasBrowser   *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "default-local-folder");

  /* Only for the first folder: any later failure is the browser's to show. */
  g_signal_handlers_disconnect_by_func (pane, default_folder_failed_cb, self);
  if (g_strcmp0 (pas_file_pane_get_location (pane), folder) == 0)
    pas_file_pane_set_location (pane, g_get_home_dir ());
}

static void
pas_browser_init (PasBrowser *self)
{
  self->state = PAS_BROWSER_CLOSED;
  self->opened = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  {
    g_autofree char *folder = g_settings_get_string (self->settings, "default-local-folder");

    /* The preference, else home; a preference gone stale is found out by
     * the listing (not by a stat here, on the UI thread) and leads home. */
    pas_file_pane_set_location (self->local_pane, folder[0] != '\0' ? folder : g_get_home_dir ());
    if (folder[0] != '\0')
      g_signal_connect (self->local_pane, "load-failed", G_CALLBACK (default_folder_failed_cb), self);
  }
  g_settings_bind (self->settings, "show-hidden", self->local_pane, "show-hidden", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "show-hidden", self->remote_pane, "show-hidden", G_SETTINGS_BIND_GET);
  pas_file_pane_set_context_menu (self->local_pane, self->context_menu);
  pas_file_pane_set_context_menu (self->remote_pane, self->context_menu);

  self->active_pane = self->remote_pane;
  gtk_widget_add_css_class (GTK_WIDGET (self->remote_pane), "active-pane");
  /* Follow first: a folder that browsing together could not open is its
   * to explain (and the pane goes back), not a failure to report. */
  pas_browser_init_follow (self);
  pas_browser_init_actions (self);
  pas_browser_init_fold (self);
  pas_browser_init_compare (self);
  watch_presses (self, self->local_pane);
  watch_presses (self, self->remote_pane);
}
