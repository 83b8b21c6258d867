#define G_LOG_DOMAIN "pas-window"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-application.h"
#include "pas-sessions-dialog.h"
#include "pas-window.h"
#include "pas-address-dialog.h"
#include "pas-alert.h"

struct _PasWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  PasTransferPanel     *transfer_panel;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwTabView           *tab_view;
  AdwTabBar            *tab_bar;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkRevealer          *panel_revealer;
  GtkToggleButton      *panel_button;

  gboolean              close_confirmed;   /* "Stop and Quit" was chosen */
  gboolean              asking_to_close;
};

G_DEFINE_FINAL_TYPE (PasWindow, pas_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_FOLLOW_FOLDERS,
  PROP_COMPARE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void setup_transfer_panel (PasWindow        *self,
                                  PasTransferQueue *queue);

PasWindow *
pas_window_new (PasApplication *application)
{
  PasWindow *self = g_object_new (PAS_TYPE_WINDOW,
                                  "application", application,
                                  NULL);

  /* Not in constructed(): "application" is set after it runs. */
  setup_transfer_panel (self, pas_application_get_queue (application));
  return self;
}

static PasApplication *
get_app (PasWindow *self)
{
  return PAS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static const char *
state_text (PasBrowser *browser)
{
  switch (pas_browser_get_state (browser))
    {
    case PAS_BROWSER_CONNECTING:
      return _("Connecting…");
    case PAS_BROWSER_CONNECTED:
      return _("Connected");
    case PAS_BROWSER_FAILED:
      return _("Not connected");
    case PAS_BROWSER_CLOSED:
    default:
      return _("Disconnected");
    }
}

static void
update_title (PasWindow *self)
{
  PasBrowser *browser = pas_window_get_active_browser (self);

  if (browser == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Passerelle"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      /* Translators: the window title, %s is a server such as root@example.com */
      g_autofree char *title = g_strdup_printf (_("%s — Passerelle"), pas_browser_get_title (browser));
      /* Translators: the header's subtitle: a server, then its state, e.g. "root@example.com — Connected" */
      g_autofree char *subtitle = g_strdup_printf (_("%s — %s"), pas_browser_get_title (browser),
                                                   state_text (browser));

      gtk_window_set_title (GTK_WINDOW (self), title);
      adw_window_title_set_subtitle (self->window_title, subtitle);
      gtk_stack_set_visible_child_name (self->stack, "tabs");
    }
}

static void
browser_state_cb (PasBrowser *browser,
                  GParamSpec *pspec,
                  PasWindow  *self)
{
  AdwTabPage *page = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (browser));
  PasBrowserState state = pas_browser_get_state (browser);

  if (page != NULL)
    {
      g_autoptr(GIcon) offline = g_themed_icon_new ("network-offline-symbolic");

      adw_tab_page_set_loading (page, state == PAS_BROWSER_CONNECTING);
      adw_tab_page_set_indicator_icon (page, state == PAS_BROWSER_FAILED ? offline : NULL);
      adw_tab_page_set_tooltip (page, state_text (browser));
    }
  update_title (self);
}

/**
 * pas_window_add_server:
 *
 * Opens @uri in a new tab and connects to it.
 *
 * Returns: (transfer none): the new tab's browser
 */
/* The menu's toggles ("Browse Folders Together", "Compare Folders") show
 * the tab in front's. */
static void
browser_toggle_cb (PasBrowser *browser,
                   GParamSpec *pspec,
                   PasWindow  *self)
{
  if (browser == pas_window_get_active_browser (self))
    g_object_notify (G_OBJECT (self), g_param_spec_get_name (pspec));
}

static PasBrowser *
add_browser (PasWindow  *self,
             PasBrowser *browser)
{
  AdwTabPage *page;

  g_signal_connect_object (browser, "notify::state", G_CALLBACK (browser_state_cb), self, 0);
  g_signal_connect_object (browser, "notify::follow-folders", G_CALLBACK (browser_toggle_cb), self, 0);
  g_signal_connect_object (browser, "notify::compare", G_CALLBACK (browser_toggle_cb), self, 0);

  page = adw_tab_view_append (self->tab_view, GTK_WIDGET (browser));
  /* Edit on a failed tab may change what it connects to. */
  g_object_bind_property (browser, "title", page, "title", G_BINDING_SYNC_CREATE);
  adw_tab_view_set_selected_page (self->tab_view, page);
  pas_browser_connect (browser);
  update_title (self);
  return browser;
}

PasBrowser *
pas_window_add_address (PasWindow        *self,
                        const PasAddress *address)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return add_browser (self, pas_browser_new (address, pas_application_get_queue (get_app (self))));
}

PasBrowser *
pas_window_add_server (PasWindow    *self,
                       const PasUri *uri)
{
  PasAddress address = { uri->user, uri->host, uri->port, uri->path };

  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  return pas_window_add_address (self, &address);
}

/**
 * pas_window_add_session:
 *
 * Opens a saved session in a new tab and connects to it.
 *
 * Returns: (transfer none): the new tab's browser
 */
PasBrowser *
pas_window_add_session (PasWindow  *self,
                        PasSession *session)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (PAS_IS_SESSION (session), NULL);

  return add_browser (self, pas_browser_new_for_session (session, pas_application_get_queue (get_app (self))));
}

guint
pas_window_get_n_servers (PasWindow *self)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), 0);

  return (guint) adw_tab_view_get_n_pages (self->tab_view);
}

PasBrowser *
pas_window_get_browser (PasWindow *self,
                        guint      index)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);

  if (index >= (guint) adw_tab_view_get_n_pages (self->tab_view))
    return NULL;
  return PAS_BROWSER (adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, (int) index)));
}

PasBrowser *
pas_window_get_active_browser (PasWindow *self)
{
  AdwTabPage *page;

  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);

  /* Asked by the menu's toggles before the template is built and after it is gone. */
  if (self->tab_view == NULL)
    return NULL;
  page = adw_tab_view_get_selected_page (self->tab_view);
  return page != NULL ? PAS_BROWSER (adw_tab_page_get_child (page)) : NULL;
}

PasTransferPanel *
pas_window_get_transfer_panel (PasWindow *self)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);

  return self->transfer_panel;
}

/**
 * pas_window_show_error:
 *
 * Shows the human message of @error, and its remedy when it has one, in a
 * banner that stays until dismissed: people need time to read a remedy.
 */
void
pas_window_show_error (PasWindow    *self,
                       const GError *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (PAS_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  text = pas_error_describe (error, "\n");
  gtk_label_set_text (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

/**
 * pas_window_get_error_text:
 *
 * Returns: (nullable): the text of the error banner, or %NULL when none is shown
 */
const char *
pas_window_get_error_text (PasWindow *self)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

/* ---- actions ------------------------------------------------------------ */

static void
dismiss_error_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PasWindow *self = PAS_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

static void
connect_response_cb (PasAlert   *dialog,
                     const char *response,
                     PasWindow  *self)
{
  GtkEditable *entry = GTK_EDITABLE (pas_alert_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;
  g_autoptr(PasAddress) address = NULL;

  if (g_strcmp0 (response, "connect") != 0)
    return;
  /* user@host[:port], sftp://…, an ssh_config alias or a saved session's name:
   * resolved like everything else (pas-resolver.h). */
  address = pas_address_parse (gtk_editable_get_text (entry), &error);
  if (address == NULL)
    pas_window_show_error (self, error);
  else
    pas_window_add_address (self, address);
}

/* A queue item's server ("user@host:port", " via …" when it had jump
 * hosts: those come back from ~/.ssh/config as for any address), opened
 * in a tab so that the item can run. */
static void
connect_to_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PasWindow *self = PAS_WINDOW (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  const char *via = strstr (key, " via ");
  g_autofree char *text = via != NULL ? g_strndup (key, (gsize) (via - key)) : g_strdup (key);
  g_autoptr(GError) error = NULL;
  PasAddress *address = pas_address_parse (text, &error);

  if (address == NULL)
    {
      pas_window_show_error (self, error);
      return;
    }
  pas_window_add_address (self, address);
  pas_address_free (address);
}

static void
connect_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PasWindow *self = PAS_WINDOW (widget);
  PasAlert *dialog = pas_address_dialog_new (GTK_WIDGET (self), _("Connect to a Server"),
                                             _("An address such as user@example.com, "
                                               "user@example.com:2222, "
                                               "sftp://user@example.com/var/www, a host from "
                                               "~/.ssh/config or a saved session’s name."),
                                             NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (connect_response_cb), self, 0);
  pas_alert_present (dialog);
  gtk_widget_grab_focus (pas_alert_get_extra_child (dialog));
}

/* The header's menu reaches the active tab's connection through these. */
static void
forward_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PasBrowser *browser = pas_window_get_active_browser (PAS_WINDOW (widget));

  if (browser != NULL)
    gtk_widget_activate_action (GTK_WIDGET (browser),
                                g_str_equal (action_name, "win.reconnect") ? "browser.reconnect"
                                : g_str_equal (action_name, "win.run-command") ? "browser.run-command"
                                : g_str_equal (action_name, "win.synchronize") ? "browser.synchronize"
                                : g_str_equal (action_name, "win.connection-details") ? "browser.details"
                                : "browser.disconnect", NULL);
}

static void
session_chosen_cb (PasSessionsDialog *dialog,
                   PasSession        *session,
                   PasWindow         *self)
{
  pas_window_add_session (self, session);
}

static void
sessions_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PasWindow *self = PAS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  PasSessionStore *store = pas_application_get_session_store (get_app (self), &error);
  PasSessionsDialog *dialog;

  if (error != NULL)
    pas_window_show_error (self, error);
  dialog = pas_sessions_dialog_new (GTK_WINDOW (self), store);
  g_signal_connect_object (dialog, "connect", G_CALLBACK (session_chosen_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_tab_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PasWindow *self = PAS_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tab_view);

  if (page != NULL)
    adw_tab_view_close_page (self->tab_view, page);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_page_cb (AdwTabView *view,
               AdwTabPage *page,
               PasWindow  *self)
{
  /* The queue keeps this server's items; they wait for its next connection. */
  pas_browser_close (PAS_BROWSER (adw_tab_page_get_child (page)));
  adw_tab_view_close_page_finish (view, page, TRUE);
  return GDK_EVENT_STOP;
}

static void
selected_page_cb (AdwTabView *view,
                  GParamSpec *pspec,
                  PasWindow  *self)
{
  update_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW_FOLDERS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARE]);
}

static void
pas_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PasBrowser *browser = pas_window_get_active_browser (PAS_WINDOW (object));

  switch (prop_id)
    {
    case PROP_FOLLOW_FOLDERS:
      g_value_set_boolean (value, browser != NULL && pas_browser_get_follow_folders (browser));
      break;
    case PROP_COMPARE:
      g_value_set_boolean (value, browser != NULL && pas_browser_get_compare (browser));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PasBrowser *browser = pas_window_get_active_browser (PAS_WINDOW (object));

  switch (prop_id)
    {
    case PROP_FOLLOW_FOLDERS:
      if (browser != NULL)
        pas_browser_set_follow_folders (browser, g_value_get_boolean (value));
      break;
    case PROP_COMPARE:
      if (browser != NULL)
        pas_browser_set_compare (browser, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
n_pages_cb (AdwTabView *view,
            GParamSpec *pspec,
            PasWindow  *self)
{
  update_title (self);
}

/* The panel opens by itself when something is queued. */
static void
queue_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        PasWindow  *self)
{
  if (added > 0)
    gtk_toggle_button_set_active (self->panel_button, TRUE);
}

/* ---- GObject ------------------------------------------------------------ */

static void
save_window_state (PasWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    g_settings_set (self->settings, "window-size", "(ii)", width, height);
}

/* Transfers queued or running, which closing the last window would stop. */
static guint
count_active_transfers (void)
{
  GApplication *app = g_application_get_default ();
  GListModel *queue;
  guint active = 0;

  if (!PAS_IS_APPLICATION (app))
    return 0;
  queue = G_LIST_MODEL (pas_application_get_queue (PAS_APPLICATION (app)));
  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(PasTransfer) t = g_list_model_get_item (queue, i);
      PasTransferState state = pas_transfer_get_state (t);

      active += state == PAS_TRANSFER_QUEUED || state == PAS_TRANSFER_RUNNING;
    }
  return active;
}

static void
stop_transfers_response_cb (PasAlert   *dialog,
                            const char *response,
                            PasWindow  *self)
{
  self->asking_to_close = FALSE;
  if (g_strcmp0 (response, "stop") != 0)
    return;
  self->close_confirmed = TRUE;
  pas_alert_close_window_later (GTK_WINDOW (self));
}

/* Closing the last window quits: with transfers under way, ask first. They
 * stay in the queue and continue from their .filepart once their server is
 * connected again. */
static gboolean
ask_before_stopping_transfers (PasWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  guint active = count_active_transfers ();
  g_autofree char *heading = NULL;
  PasAlert *dialog;

  if (self->close_confirmed || active == 0 || app == NULL ||
      g_list_length (gtk_application_get_windows (app)) > 1)
    return FALSE;
  if (self->asking_to_close)
    return TRUE;
  self->asking_to_close = TRUE;
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stop %u Transfer?", "Stop %u Transfers?", active),
                             active);
  dialog = pas_alert_new (GTK_WIDGET (self), heading,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "It stops where it is, and continues from there when you next connect "
                                       "to its server.",
                                       "They stop where they are, and continue from there when you next "
                                       "connect to their servers.", active));
  pas_alert_add_responses (dialog, "keep", _("_Keep Transferring"), "stop", _("_Stop and Quit"), NULL);
  pas_alert_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  pas_alert_set_default_response (dialog, "keep");
  pas_alert_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (stop_transfers_response_cb), self, 0);
  pas_alert_present (dialog);
  return TRUE;
}

static gboolean
pas_window_close_request (GtkWindow *window)
{
  PasWindow *self = PAS_WINDOW (window);

  if (ask_before_stopping_transfers (self))
    return TRUE;

  if (g_settings_get_boolean (self->settings, "remember-window-layout"))
    save_window_state (self);
  for (guint i = 0; i < pas_window_get_n_servers (self); i++)
    pas_browser_close (pas_window_get_browser (self, i));

  return GTK_WINDOW_CLASS (pas_window_parent_class)->close_request (window);
}

static void
pas_window_constructed (GObject *object)
{
  PasWindow *self = PAS_WINDOW (object);
  int width, height;

  G_OBJECT_CLASS (pas_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  if (g_settings_get_boolean (self->settings, "remember-window-layout"))
    {
      g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  update_title (self);
}

static void
setup_transfer_panel (PasWindow        *self,
                      PasTransferQueue *queue)
{
  self->transfer_panel = pas_transfer_panel_new (queue);
  gtk_widget_set_size_request (GTK_WIDGET (self->transfer_panel), -1, 180);
  gtk_revealer_set_child (self->panel_revealer, GTK_WIDGET (self->transfer_panel));
  g_signal_connect_object (queue, "items-changed", G_CALLBACK (queue_items_changed_cb), self, 0);
  if (g_list_model_get_n_items (G_LIST_MODEL (queue)) > 0)
    gtk_toggle_button_set_active (self->panel_button, TRUE);
}

static void
pas_window_dispose (GObject *object)
{
  PasWindow *self = PAS_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pas_window_parent_class)->dispose (object);
}

static void
pas_window_class_init (PasWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pas_window_constructed;
  object_class->dispose = pas_window_dispose;
  object_class->get_property = pas_window_get_property;
  object_class->set_property = pas_window_set_property;

  /* The tab in front's (PasBrowser:follow-folders, :compare), for the menu. */
  properties[PROP_FOLLOW_FOLDERS] =
    g_param_spec_boolean ("follow-folders", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPARE] =
    g_param_spec_boolean ("compare", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = pas_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PasWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, panel_revealer);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, panel_button);
  gtk_widget_class_bind_template_callback (widget_class, close_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, n_pages_cb);

  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action_cb);
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action_cb);
  gtk_widget_class_install_action (widget_class, "win.connect-to", "s", connect_to_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sessions", NULL, sessions_action_cb);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action_cb);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, forward_action_cb);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, forward_action_cb);
  gtk_widget_class_install_action (widget_class, "win.run-command", NULL, forward_action_cb);
  gtk_widget_class_install_action (widget_class, "win.synchronize", NULL, forward_action_cb);
  gtk_widget_class_install_property_action (widget_class, "win.follow-folders", "follow-folders");
  gtk_widget_class_install_property_action (widget_class, "win.compare", "compare");
  gtk_widget_class_install_action (widget_class, "win.connection-details", NULL, forward_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.sessions", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "win.close-tab", NULL);
}

static void
pas_window_init (PasWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
