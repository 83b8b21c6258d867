#define G_LOG_DOMAIN "pas-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-window.h"

struct _PasWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GPtrArray            *servers;   /* of PasUri */

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkListBox           *server_list;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
};

G_DEFINE_FINAL_TYPE (PasWindow, pas_window, ADW_TYPE_APPLICATION_WINDOW)

PasWindow *
pas_window_new (PasApplication *application)
{
  return g_object_new (PAS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
update_title (PasWindow *self)
{
  if (self->servers->len == 0)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Passerelle"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      g_autofree char *shown = pas_uri_to_display_string (g_ptr_array_index (self->servers, 0));
      /* Translators: the window title, %s is a server such as root@example.com */
      g_autofree char *title = g_strdup_printf (_("%s — Passerelle"), shown);

      gtk_window_set_title (GTK_WINDOW (self), title);
      adw_window_title_set_subtitle (self->window_title, shown);
      gtk_stack_set_visible_child_name (self->stack, "servers");
    }
}

/**
 * pas_window_add_server:
 *
 * Shows @uri among the servers this window was asked to open.
 */
void
pas_window_add_server (PasWindow    *self,
                       const PasUri *uri)
{
  g_autofree char *shown = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_subtitle = NULL;
  g_autofree char *escaped_title = NULL;
  GtkWidget *row;

  g_return_if_fail (PAS_IS_WINDOW (self));
  g_return_if_fail (uri != NULL);

  g_ptr_array_add (self->servers, pas_uri_copy (uri));

  shown = pas_uri_to_display_string (uri);
  /* Translators: %u is a TCP port number, %s a folder on the server */
  subtitle = g_strdup_printf (_("Port %u · %s"), pas_uri_get_effective_port (uri),
                              uri->path != NULL ? uri->path : _("home folder"));
  escaped_title = g_markup_escape_text (shown, -1);
  escaped_subtitle = g_markup_escape_text (subtitle, -1);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("network-server-symbolic"));
  gtk_list_box_append (self->server_list, row);

  update_title (self);
}

guint
pas_window_get_n_servers (PasWindow *self)
{
  g_return_val_if_fail (PAS_IS_WINDOW (self), 0);

  return self->servers->len;
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
  const char *remedy = pas_error_get_remedy (error);
  g_autofree char *text = NULL;

  g_return_if_fail (PAS_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  text = remedy != NULL ? g_strdup_printf ("%s\n%s", error->message, remedy)
                        : g_strdup (error->message);
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

static void
dismiss_error_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PasWindow *self = PAS_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

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

static gboolean
pas_window_close_request (GtkWindow *window)
{
  save_window_state (PAS_WINDOW (window));

  return GTK_WINDOW_CLASS (pas_window_parent_class)->close_request (window);
}

static void
pas_window_constructed (GObject *object)
{
  PasWindow *self = PAS_WINDOW (object);
  int width, height;

  G_OBJECT_CLASS (pas_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  update_title (self);
}

static void
pas_window_dispose (GObject *object)
{
  PasWindow *self = PAS_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->servers, g_ptr_array_unref);

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

  window_class->close_request = pas_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PasWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, server_list);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, PasWindow, error_label);

  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action_cb);
}

static void
pas_window_init (PasWindow *self)
{
  self->servers = g_ptr_array_new_with_free_func ((GDestroyNotify) pas_uri_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}
