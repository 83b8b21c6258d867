#define G_LOG_DOMAIN "pas-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-preferences-window.h"

struct _PasPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *conflict_policy;
  GtkSpinButton        *max_transfers;
  GtkSpinButton        *speed_limit;
  GtkSwitch            *show_hidden;
  GtkSwitch            *confirm_delete;
  AdwEntryRow          *default_local_folder;
  GtkSwitch            *remember_window_layout;
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
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pas_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/passerelle/Passerelle/pas-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, conflict_policy);
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, max_transfers);
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, speed_limit);
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, show_hidden);
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, confirm_delete);
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, default_local_folder);
  gtk_widget_class_bind_template_child (widget_class, PasPreferencesWindow, remember_window_layout);
}

static void
pas_preferences_window_init (PasPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Each widget is named after its key in the template. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "conflict-policy", self->conflict_policy, "selected",
                                G_SETTINGS_BIND_DEFAULT, policy_get_cb, policy_set_cb, NULL, NULL);
  g_settings_bind (self->settings, "max-transfers", self->max_transfers, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "speed-limit", self->speed_limit, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-hidden", self->show_hidden, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "confirm-delete", self->confirm_delete, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "default-local-folder", self->default_local_folder, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "remember-window-layout", self->remember_window_layout, "active",
                   G_SETTINGS_BIND_DEFAULT);
}
