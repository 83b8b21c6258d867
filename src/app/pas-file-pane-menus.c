#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-file-pane-private.h"

/* A pane's popovers: the context menu (a secondary click, Shift+F10, the
 * Menu key) and the rename popover. */

/* ---- rename popover ----------------------------------------------------- */

static void
rename_activate_cb (GtkEntry    *entry,
                    PasFilePane *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GFileInfo) info = g_steal_pointer (&self->renaming);

  gtk_popover_popdown (GTK_POPOVER (self->rename_popover));
  if (info != NULL && name[0] != '\0' && strcmp (name, g_file_info_get_name (info)) != 0)
    g_signal_emit (self, pas_file_pane_signals[SIGNAL_RENAME_REQUESTED], 0, info, name);
  pas_file_pane_focus_list (self);
}

/* Renaming in place: a small popover over the list with the name selected
 * up to its extension, as GNOME Files does it. */
void
pas_file_pane_start_rename (PasFilePane *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  GFileInfo *info;
  const char *name;
  const char *dot;

  g_return_if_fail (PAS_IS_FILE_PANE (self));

  selected = pas_file_pane_get_selected (self);

  if (selected->len != 1)
    return;
  info = g_ptr_array_index (selected, 0);
  g_set_object (&self->renaming, info);
  name = g_file_info_get_display_name (info);
  gtk_editable_set_text (GTK_EDITABLE (self->rename_entry), name);
  gtk_popover_popup (GTK_POPOVER (self->rename_popover));
  dot = strrchr (name, '.');
  gtk_editable_select_region (GTK_EDITABLE (self->rename_entry), 0,
                              dot != NULL && dot != name && !pas_file_info_is_folder (info)
                                ? (int) g_utf8_pointer_to_offset (name, dot) : -1);
}

/* ---- context menu ------------------------------------------------------- */

/* Where @info is in the list shown, or GTK_INVALID_LIST_POSITION. */
guint
pas_file_pane_position_of (PasFilePane *self,
                           GFileInfo   *info)
{
  GListModel *model = G_LIST_MODEL (self->file_list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GFileInfo) item = g_list_model_get_item (model, i);

      if (item == info)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

GFileInfo *
pas_file_pane_info_at (PasFilePane *self,
                       double       x,
                       double       y,
                       guint       *position)
{
  GtkWidget *widget = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);

  for (; widget != NULL && widget != GTK_WIDGET (self->column_view); widget = gtk_widget_get_parent (widget))
    {
      GFileInfo *info = g_object_get_data (G_OBJECT (widget), "pas-info");

      if (info != NULL)
        {
          if (position != NULL)
            *position = pas_file_pane_position_of (self, info);
          return info;
        }
    }
  return NULL;
}

static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    PasFilePane     *self)
{
  guint position = GTK_INVALID_LIST_POSITION;
  GFileInfo *info = pas_file_pane_info_at (self, x, y, &position);
  graphene_point_t point;

  if (self->context_menu == NULL)
    return;
  /* A right click on an unselected row acts on that row alone. */
  if (info != NULL && position != GTK_INVALID_LIST_POSITION &&
      !gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  else if (info == NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));

  if (!gtk_widget_compute_point (GTK_WIDGET (self->column_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT ((float) x, (float) y), &point))
    point = GRAPHENE_POINT_INIT ((float) x, (float) y);
  pas_file_pane_popup_context_menu (self, point.x, point.y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* At (@x, @y) in the pane's coordinates. */
void
pas_file_pane_popup_context_menu (PasFilePane *self,
                                  double       x,
                                  double       y)
{
  if (self->context_menu == NULL)
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_popover));
}

/* The context menu's click and popover, and the rename popover. */
void
pas_file_pane_init_menus (PasFilePane *self)
{
  GtkGesture *click;
  GtkWidget *box;

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (click));

  self->context_popover = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_popover), FALSE);
  gtk_widget_set_halign (self->context_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_popover, GTK_WIDGET (self));


  self->rename_popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("New name")));
  self->rename_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_activates_default (self->rename_entry, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rename_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New name"), -1);
  g_signal_connect (self->rename_entry, "activate", G_CALLBACK (rename_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->rename_entry));
  gtk_popover_set_child (GTK_POPOVER (self->rename_popover), box);
  gtk_widget_set_parent (self->rename_popover, GTK_WIDGET (self));
}
