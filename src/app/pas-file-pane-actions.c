#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-file-pane-private.h"

/* A pane's actions ("pane.*") and their keys: back, forward, up, home,
 * refresh, the location entry, the filter, open. */

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);
  g_autofree char *path = NULL;

  if (self->back->len == 0)
    return;
  path = g_ptr_array_steal_index (self->back, self->back->len - 1);
  g_ptr_array_add (self->forward, g_strdup (self->location));
  pas_file_pane_go_to (self, path, FALSE);
}

static void
forward_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);
  g_autofree char *path = NULL;

  if (self->forward->len == 0)
    return;
  path = g_ptr_array_steal_index (self->forward, self->forward->len - 1);
  g_ptr_array_add (self->back, g_strdup (self->location));
  pas_file_pane_go_to (self, path, FALSE);
}

static void
up_action_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);
  g_autofree char *parent = NULL;
  g_autofree char *child = NULL;

  if (self->location == NULL)
    return;
  parent = pas_file_pane_parent_of (self->location);
  child = g_path_get_basename (self->location);
  pas_file_pane_go_to (self, parent, TRUE);
  /* Keep one's place: the folder we came from stays selected once listed. */
  pas_file_pane_select_after_load (self, child);
}

static void
home_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);

  pas_file_pane_go_to (self, self->remote ? self->home : g_get_home_dir (), TRUE);
}

static void
refresh_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  pas_file_pane_reload (PAS_FILE_PANE (widget));
}

static void
location_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->location_entry));
}

static void
filter_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
open_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (gtk_bitset_get_size (selected) >= 1)
    pas_file_pane_activate_cb (self->column_view, gtk_bitset_get_minimum (selected), self);
}

void
pas_file_pane_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "pane.back", NULL, back_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.forward", NULL, forward_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.up", NULL, up_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.home", NULL, home_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.refresh", NULL, refresh_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.location", NULL, location_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.filter", NULL, filter_action_cb);
  gtk_widget_class_install_action (widget_class, "pane.open", NULL, open_action_cb);
  gtk_widget_class_install_property_action (widget_class, "pane.show-hidden", "show-hidden");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "pane.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "pane.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "pane.up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "pane.up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "pane.home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "pane.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_CONTROL_MASK, "pane.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "pane.location", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "pane.filter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "pane.show-hidden", NULL);
}
