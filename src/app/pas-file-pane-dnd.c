#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include "pas-file-pane-private.h"

/* ---- the remote selection a drag carries ---------------------------------- */

struct _PasRemoteSelection
{
  GObject      parent_instance;
  GWeakRef     pane;
  GPtrArray   *infos;
};

G_DEFINE_FINAL_TYPE (PasRemoteSelection, pas_remote_selection, G_TYPE_OBJECT)

static void
pas_remote_selection_finalize (GObject *object)
{
  PasRemoteSelection *self = PAS_REMOTE_SELECTION (object);

  g_weak_ref_clear (&self->pane);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  G_OBJECT_CLASS (pas_remote_selection_parent_class)->finalize (object);
}

static void
pas_remote_selection_class_init (PasRemoteSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pas_remote_selection_finalize;
}

static void
pas_remote_selection_init (PasRemoteSelection *self)
{
  g_weak_ref_init (&self->pane, NULL);
}

PasRemoteSelection *
pas_remote_selection_new (PasFilePane *pane,
                          GPtrArray   *infos)
{
  PasRemoteSelection *self = g_object_new (PAS_TYPE_REMOTE_SELECTION, NULL);

  g_weak_ref_set (&self->pane, pane);
  self->infos = g_ptr_array_ref (infos);
  return self;
}

GPtrArray *
pas_remote_selection_get_infos (PasRemoteSelection *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_SELECTION (self), NULL);

  return self->infos;
}

/* Returns: (transfer full) (nullable): the pane the drag started from */
PasFilePane *
pas_remote_selection_get_pane (PasRemoteSelection *self)
{
  g_return_val_if_fail (PAS_IS_REMOTE_SELECTION (self), NULL);

  return g_weak_ref_get (&self->pane);
}

void
pas_file_pane_set_drag_out_func (PasFilePane   *self,
                                 PasDragOutFunc func,
                                 gpointer       user_data)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  self->drag_out_func = func;
  self->drag_out_data = user_data;
}

/**
 * pas_file_pane_create_drag_content:
 *
 * What dragging the selection carries: local files as a GdkFileList (file
 * managers and the remote pane take it); remote files as a
 * PasRemoteSelection for the local pane, plus, for other applications,
 * what the drag-out function makes.
 *
 * Returns: (transfer full) (nullable): the content, or %NULL with nothing selected
 */
GdkContentProvider *
pas_file_pane_create_drag_content (PasFilePane *self)
{
  g_autoptr(GPtrArray) selected = NULL;

  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  selected = pas_file_pane_get_selected (self);

  if (selected->len == 0)
    return NULL;

  if (self->remote)
    {
      g_autoptr(PasRemoteSelection) drag = pas_remote_selection_new (self, selected);
      GdkContentProvider *providers[2];
      guint n = 0;

      providers[n++] = gdk_content_provider_new_typed (PAS_TYPE_REMOTE_SELECTION, drag);
      if (self->drag_out_func != NULL)
        providers[n++] = self->drag_out_func (selected, self->drag_out_data);
      return gdk_content_provider_new_union (providers, n);
    }
  else
    {
      GSList *files = NULL;
      GdkContentProvider *provider;

      for (guint i = selected->len; i > 0; i--)
        files = g_slist_prepend (files, g_file_info_get_attribute_object (g_ptr_array_index (selected, i - 1),
                                                                          "standard::file"));
      provider = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, files);
      g_slist_free (files);
      return provider;
    }
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 PasFilePane   *self)
{
  guint position = GTK_INVALID_LIST_POSITION;
  GFileInfo *info = pas_file_pane_info_at (self, x, y, &position);

  if (info == NULL)
    return NULL;
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  return pas_file_pane_create_drag_content (self);
}

static char *
drop_folder (PasFilePane *self,
             double       x,
             double       y)
{
  GFileInfo *info = pas_file_pane_info_at (self, x, y, NULL);

  /* Onto a folder row: into that folder; anywhere else: here. */
  if (info != NULL && pas_file_info_is_folder (info))
    return pas_file_pane_get_info_path (self, info);
  return g_strdup (self->location);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PasFilePane   *self)
{
  g_autofree char *folder = NULL;
  gboolean handled = FALSE;
  graphene_point_t point;

  if (self->location == NULL)
    return FALSE;
  if (!gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->column_view),
                                 &GRAPHENE_POINT_INIT ((float) x, (float) y), &point))
    point = GRAPHENE_POINT_INIT ((float) x, (float) y);
  folder = drop_folder (self, point.x, point.y);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) && self->remote)
    {
      GSList *files = g_value_get_boxed (value);

      if (files != NULL)
        g_signal_emit (self, pas_file_pane_signals[SIGNAL_DROP_LOCAL], 0, files, folder, &handled);
    }
  else if (G_VALUE_HOLDS (value, PAS_TYPE_REMOTE_SELECTION) && !self->remote)
    {
      PasRemoteSelection *selection = g_value_get_object (value);

      if (selection != NULL)
        g_signal_emit (self, pas_file_pane_signals[SIGNAL_DROP_REMOTE], 0, selection, folder, &handled);
    }
  return handled;
}

void
pas_file_pane_init_dnd (PasFilePane *self)
{
  GtkDragSource *drag = gtk_drag_source_new ();

  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (drag));

  self->drop_target = gtk_drop_target_new (self->remote ? GDK_TYPE_FILE_LIST : PAS_TYPE_REMOTE_SELECTION,
                                           GDK_ACTION_COPY);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));
}
