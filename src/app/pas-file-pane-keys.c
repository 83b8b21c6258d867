#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include "pas-file-pane-private.h"

/* The pane from the keyboard: the focused row is the one actions act on
 * when nothing is selected (Tab into a list focuses a row without selecting
 * it, and F5 then had nothing to copy), and Shift+F10 or the Menu key opens
 * the context menu at that row. */

/* The item a row (or one of its cells) shows: bind puts it on each cell. */
static GFileInfo *
row_info (GtkWidget *widget)
{
  GFileInfo *info = g_object_get_data (G_OBJECT (widget), "pas-info");

  for (GtkWidget *child = gtk_widget_get_first_child (widget); info == NULL && child != NULL;
       child = gtk_widget_get_next_sibling (child))
    info = row_info (child);
  return info;
}

/* The row that has the keyboard focus in this pane's list, if any. */
static GtkWidget *
focused_row (PasFilePane *self,
             GFileInfo  **info)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  *info = NULL;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)))
    return NULL;
  *info = row_info (focus);
  return *info != NULL ? focus : NULL;
}

static void
select_focused_if_none (PasFilePane *self)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  GFileInfo *info;
  guint position;

  if (!gtk_bitset_is_empty (selected) || focused_row (self, &info) == NULL)
    return;
  position = pas_file_pane_position_of (self, info);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_select_item (selection, position, TRUE);
}

static void
focus_changed_cb (GtkRoot     *root,
                  GParamSpec  *pspec,
                  PasFilePane *self)
{
  select_focused_if_none (self);
}

static void
context_menu_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PasFilePane *self = PAS_FILE_PANE (widget);
  GFileInfo *info;
  GtkWidget *row;
  graphene_rect_t bounds;

  select_focused_if_none (self);
  row = focused_row (self, &info);
  /* Beside the row's icon, or at the top of the list. */
  if (row != NULL && gtk_widget_compute_bounds (row, widget, &bounds))
    pas_file_pane_popup_context_menu (self, bounds.origin.x + 24, bounds.origin.y + bounds.size.height / 2);
  else if (gtk_widget_compute_bounds (GTK_WIDGET (self->column_view), widget, &bounds))
    pas_file_pane_popup_context_menu (self, bounds.origin.x + 24, bounds.origin.y + 24);
}

static void
pane_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (g_type_class_peek (GTK_TYPE_WIDGET))->root (widget);
  g_signal_connect_object (gtk_widget_get_root (widget), "notify::focus-widget", G_CALLBACK (focus_changed_cb),
                           widget, 0);
}

static void
pane_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), focus_changed_cb, widget);
  GTK_WIDGET_CLASS (g_type_class_peek (GTK_TYPE_WIDGET))->unroot (widget);
}

/* Escape in the path entry gives up what was typed: the folder shown comes
 * back, and the list has the focus again (Tab then goes to the other pane). */
static gboolean
location_escape_cb (GtkWidget *entry,
                    GVariant  *args,
                    gpointer   data)
{
  PasFilePane *self = data;

  gtk_editable_set_text (GTK_EDITABLE (entry), pas_file_pane_get_location (self) != NULL
                                               ? pas_file_pane_get_location (self) : "");
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  pas_file_pane_focus_list (self);
  return TRUE;
}

void
pas_file_pane_init_keys (PasFilePane *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_callback_action_new (location_escape_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->location_entry), keys);
}

void
pas_file_pane_class_init_keys (GtkWidgetClass *widget_class)
{
  widget_class->root = pane_root;
  widget_class->unroot = pane_unroot;
  gtk_widget_class_install_action (widget_class, "pane.context-menu", NULL, context_menu_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "pane.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "pane.context-menu", NULL);
}
