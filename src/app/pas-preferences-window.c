#define G_LOG_DOMAIN "pas-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-preferences-window.h"

struct _PasPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (PasPreferencesWindow, pas_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row's position and the enum's nick, in the schema's order. */
static const char *policies[] = { "ask", "overwrite", "skip", "resume", "rename", "newer" };

static gboolean
policy_get_cb (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    if (g_str_equal (nick, policies[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
policy_set_cb (const GValue       *value,
               const GVariantType *type,
               gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (policies) ? g_variant_new_string (policies[i]) : NULL;
}

static GtkWidget *
switch_row (PasPreferencesWindow *self,
            const char           *key,
            const char           *title,
            const char           *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (toggle, key);
  return row;
}

static GtkWidget *
spin_row (PasPreferencesWindow *self,
          const char           *key,
          const char           *title,
          const char           *subtitle,
          double                min,
          double                max,
          double                step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_name (spin, key);
  return row;
}

PasPreferencesWindow *
pas_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (PAS_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE, NULL);
}

static void
pas_preferences_window_dispose (GObject *object)
{
  PasPreferencesWindow *self = PAS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pas_preferences_window_parent_class)->dispose (object);
}

static void
pas_preferences_window_class_init (PasPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pas_preferences_window_dispose;
}

static void
pas_preferences_window_init (PasPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *transfers = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *files = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *window = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autoptr(GtkStringList) choices = gtk_string_list_new ((const char *[]) {
    _("Ask each time"), _("Replace"), _("Skip"), _("Resume"), _("Keep both"), _("Replace if newer"), NULL });
  AdwComboRow *policy = ADW_COMBO_ROW (adw_combo_row_new ());
  GtkWidget *folder = adw_entry_row_new ();

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));

  adw_preferences_group_set_title (transfers, _("Transfers"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (policy), _("When a file already exists"));
  adw_combo_row_set_model (policy, G_LIST_MODEL (choices));
  gtk_widget_set_name (GTK_WIDGET (policy), "conflict-policy");
  g_settings_bind_with_mapping (self->settings, "conflict-policy", policy, "selected", G_SETTINGS_BIND_DEFAULT,
                                policy_get_cb, policy_set_cb, NULL, NULL);
  adw_preferences_group_add (transfers, GTK_WIDGET (policy));
  adw_preferences_group_add (transfers, spin_row (self, "max-transfers", _("Simultaneous transfers"),
                                                  _("Queue items that run at once"), 1, 8, 1));
  adw_preferences_group_add (transfers, spin_row (self, "speed-limit", _("Speed limit"),
                                                  _("KiB/s for all transfers together; 0 for none"),
                                                  0, 1048576, 64));

  adw_preferences_group_set_title (files, _("Files"));
  adw_preferences_group_add (files, switch_row (self, "show-hidden", _("Show hidden files"), NULL));
  adw_preferences_group_add (files, switch_row (self, "confirm-delete", _("Confirm deletions"),
                                                _("Ask before deleting files and folders")));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (folder), _("Default local folder (empty: home)"));
  gtk_widget_set_name (folder, "default-local-folder");
  g_settings_bind (self->settings, "default-local-folder", folder, "text", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (files, folder);

  adw_preferences_group_set_title (window, _("Window"));
  adw_preferences_group_add (window, switch_row (self, "remember-window-layout", _("Remember the window layout"),
                                                 _("Reopen the window at its last size")));

  adw_preferences_page_set_title (page, _("General"));
  adw_preferences_page_set_icon_name (page, "preferences-system-symbolic");
  adw_preferences_page_add (page, transfers);
  adw_preferences_page_add (page, files);
  adw_preferences_page_add (page, window);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}
