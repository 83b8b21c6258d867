#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-file-pane-private.h"

#define LOCAL_ATTRIBUTES "standard::name,standard::display-name,standard::edit-name,standard::type," \
                         "standard::size,standard::icon,standard::symbolic-icon,standard::is-hidden," \
                         "standard::is-symlink,standard::symlink-target,standard::content-type," \
                         "time::modified,unix::mode,owner::user,owner::group"

enum {
  PROP_0,
  PROP_REMOTE,
  PROP_LOCATION,
  PROP_LOADING,
  PROP_SHOW_HIDDEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint pas_file_pane_signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PasFilePane, pas_file_pane, GTK_TYPE_WIDGET)

/* ---- item helpers ------------------------------------------------------- */

static void
realize_cb (PasFilePane *self)
{
  pas_file_list_set_frame_clock (self->file_list, gtk_widget_get_frame_clock (GTK_WIDGET (self)));
}

static void
unrealize_cb (PasFilePane *self)
{
  pas_file_list_set_frame_clock (self->file_list, NULL);
}

static void
update_filter (PasFilePane *self)
{
  pas_file_list_set_filter (self->file_list, self->show_hidden,
                            gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/**
 * pas_file_pane_get_info_path:
 *
 * Returns: (transfer full): the full path of @info, local or remote
 */
char *
pas_file_pane_get_info_path (PasFilePane *self,
                             GFileInfo   *info)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  if (self->remote)
    return g_strdup (g_file_info_get_attribute_string (info, PAS_FILE_ATTRIBUTE_PATH));
  else
    {
      GFile *file = G_FILE (g_file_info_get_attribute_object (info, "standard::file"));

      return file != NULL ? g_file_get_path (file) : NULL;
    }
}

char *
pas_file_pane_join (PasFilePane *self,
                    const char  *folder,
                    const char  *name)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  if (g_str_has_suffix (folder, "/"))
    return g_strconcat (folder, name, NULL);
  return g_strconcat (folder, "/", name, NULL);
}

char *
pas_file_pane_parent_of (const char *path)
{
  g_autofree char *trimmed = g_strdup (path);
  gsize len = strlen (trimmed);

  while (len > 1 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  return g_path_get_dirname (trimmed);
}

static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  PasFilePane *self)
{
  pas_file_pane_update_status (self);
  if (self->focus_when_filled && g_list_model_get_n_items (model) > 0)
    self->focus_when_filled = !gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void select_pending (PasFilePane *self);

static void
error_changed_cb (GObject     *object,
                  GParamSpec  *pspec,
                  PasFilePane *self)
{
  const GError *error = self->remote ? pas_remote_directory_get_error (PAS_REMOTE_DIRECTORY (object))
                                     : gtk_directory_list_get_error (GTK_DIRECTORY_LIST (object));

  pas_file_pane_update_status (self);
  /* The browser decides what a failure means (a lost connection, say). */
  if (error != NULL)
    g_signal_emit (self, pas_file_pane_signals[SIGNAL_LOAD_FAILED], 0, error);
}

static void
loading_changed_cb (GObject     *object,
                    GParamSpec  *pspec,
                    PasFilePane *self)
{

  pas_file_pane_update_status (self);
  select_pending (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      PasFilePane       *self)
{
  pas_file_pane_update_status (self);
  g_signal_emit (self, pas_file_pane_signals[SIGNAL_SELECTION_CHANGED], 0);
}

/* ---- navigation --------------------------------------------------------- */

static void
update_navigation_actions (PasFilePane *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.back", self->back->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.forward", self->forward->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.up",
                                 self->location != NULL && strcmp (self->location, "/") != 0);
}

static void
load (PasFilePane *self)
{
  g_autoptr(GListModel) old = g_steal_pointer (&self->directory);

  if (old != NULL)
    {
      g_signal_handlers_disconnect_by_data (old, self);
      if (self->remote)
        pas_remote_directory_cancel (PAS_REMOTE_DIRECTORY (old));
      else
        gtk_directory_list_set_file (GTK_DIRECTORY_LIST (old), NULL);
    }
  /* At once: the old folder's rows go now, not after a worker's round trip. */
  pas_file_list_set_model (self->file_list, NULL);

  if (self->location == NULL || (self->remote && self->session == NULL))
    {
      pas_drop_in_thread (g_steal_pointer (&old), g_object_unref);
      pas_file_pane_update_status (self);
      return;
    }

  if (self->remote)
    {
      self->directory = G_LIST_MODEL (pas_remote_directory_new (self->session, self->location));
      g_signal_connect (self->directory, "notify::loading", G_CALLBACK (loading_changed_cb), self);
      g_signal_connect (self->directory, "notify::error", G_CALLBACK (error_changed_cb), self);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->location);
      GtkDirectoryList *list = gtk_directory_list_new (LOCAL_ATTRIBUTES, file);

      /* Not monitored: GTK 4.8's GtkDirectoryList crashed in our tests when a
       * monitored folder changed while the list was being replaced (a
       * g_file_query_info_finish() on a freed file, one run in three).
       * Our own changes reload the folder; Ctrl+R shows others'. */
      gtk_directory_list_set_monitored (list, FALSE);
      self->directory = G_LIST_MODEL (list);
      g_signal_connect (self->directory, "notify::loading", G_CALLBACK (loading_changed_cb), self);
      g_signal_connect (self->directory, "notify::error", G_CALLBACK (error_changed_cb), self);
    }
  pas_file_list_set_model (self->file_list, self->directory);
  /* The old listing's last reference, freed elsewhere (its GFileInfos). */
  pas_drop_in_thread (g_steal_pointer (&old), g_object_unref);
  pas_file_pane_update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
pas_file_pane_go_to (PasFilePane *self,
                     const char  *path,
                     gboolean     remember)
{
  g_autofree char *canonical = NULL;

  if (path == NULL || path[0] == '\0')
    return;
  canonical = self->remote ? g_strdup (path) : g_canonicalize_filename (path, NULL);

  if (remember && self->location != NULL && g_strcmp0 (self->location, canonical) != 0)
    {
      g_ptr_array_add (self->back, g_strdup (self->location));
      g_ptr_array_set_size (self->forward, 0);
    }
  g_free (self->location);
  self->location = g_steal_pointer (&canonical);
  gtk_editable_set_text (GTK_EDITABLE (self->location_entry), self->location);
  /* The end of a long path is where one is: keep it in view. */
  gtk_editable_set_position (GTK_EDITABLE (self->location_entry), -1);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  update_navigation_actions (self);
  load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

void
pas_file_pane_set_location (PasFilePane *self,
                            const char  *path)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  pas_file_pane_go_to (self, path, TRUE);
}

const char *
pas_file_pane_get_location (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  return self->location;
}

void
pas_file_pane_reload (PasFilePane *self)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  load (self);
}

gboolean
pas_file_pane_is_loading (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), FALSE);

  if (self->directory == NULL)
    return FALSE;
  /* Until the sorted list has caught up too. */
  if (pas_file_list_is_busy (self->file_list))
    return TRUE;
  if (self->remote)
    return pas_remote_directory_is_loading (PAS_REMOTE_DIRECTORY (self->directory));
  return gtk_directory_list_is_loading (GTK_DIRECTORY_LIST (self->directory));
}

void
pas_file_pane_set_session (PasFilePane    *self,
                           PasSftpSession *session)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));
  g_return_if_fail (self->remote);

  if (g_set_object (&self->session, session))
    load (self);
}

void
pas_file_pane_set_home (PasFilePane *self,
                        const char  *path)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  g_free (self->home);
  self->home = g_strdup (path);
}

gboolean
pas_file_pane_is_remote (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), FALSE);

  return self->remote;
}

/**
 * pas_file_pane_dup_listing:
 *
 * Returns: (transfer full): every entry of the folder, hidden and filtered
 * out ones too, in the listing's order
 */
GPtrArray *
pas_file_pane_dup_listing (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  return pas_file_list_dup_source_infos (self->file_list);
}

/**
 * pas_file_pane_get_model:
 *
 * Returns: (transfer none): what the list shows, sorted and filtered
 */
GListModel *
pas_file_pane_get_model (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  return G_LIST_MODEL (self->file_list);
}

/**
 * pas_file_pane_get_selected:
 *
 * Returns: (transfer full): the selected GFileInfo, in display order
 */
GPtrArray *
pas_file_pane_get_selected (PasFilePane *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GPtrArray *infos = g_ptr_array_new_with_free_func (g_object_unref);
  guint position;

  g_return_val_if_fail (PAS_IS_FILE_PANE (self), infos);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (infos, g_list_model_get_item (G_LIST_MODEL (self->file_list), position));
  return infos;
}

/* Selects @name alone once the folder shown has been (re)listed. */
void
pas_file_pane_select_after_load (PasFilePane *self,
                                 const char  *name)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  g_free (self->select_after_load);
  self->select_after_load = g_strdup (name);
}

/* Selects the item called @name alone (e.g. a folder just made). */
void
pas_file_pane_select_name (PasFilePane *self,
                           const char  *name)
{
  GListModel *model = G_LIST_MODEL (self->file_list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GFileInfo) info = g_list_model_get_item (model, i);

      if (strcmp (g_file_info_get_name (info), name) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          return;
        }
    }
}

/* The entry of the rename popover (tests type into it). */
GtkEditable *
pas_file_pane_get_rename_entry (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  return GTK_EDITABLE (self->rename_entry);
}

/* An empty list cannot take the focus: it does once its first rows arrive. */
void
pas_file_pane_focus_list (PasFilePane *self)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  self->focus_when_filled = !gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* A pane alone in a narrow window: the name and the size, the columns
 * that say what a row is; the others come back when it is wide again. */
void
pas_file_pane_set_compact (PasFilePane *self,
                           gboolean     compact)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  gtk_column_view_column_set_visible (self->modified_column, !compact);
  gtk_column_view_column_set_visible (self->permissions_column, !compact);
  gtk_column_view_column_set_visible (self->owner_column, !compact);
  /* Room for the path: these two have their keys (Alt+Right, Ctrl+H). */
  gtk_widget_set_visible (self->forward_button, !compact);
  gtk_widget_set_visible (self->hidden_button, !compact);
}

GtkDropTarget *
pas_file_pane_get_drop_target (PasFilePane *self)
{
  g_return_val_if_fail (PAS_IS_FILE_PANE (self), NULL);

  return self->drop_target;
}

void
pas_file_pane_set_context_menu (PasFilePane *self,
                                GMenuModel  *menu)
{
  g_return_if_fail (PAS_IS_FILE_PANE (self));

  g_set_object (&self->context_menu, menu);
  if (self->context_popover != NULL)
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_popover), menu);
}

void
pas_file_pane_activate_cb (GtkColumnView *view,
                           guint          position,
                           PasFilePane   *self)
{
  g_autoptr(GFileInfo) info = g_list_model_get_item (G_LIST_MODEL (self->file_list), position);
  g_autofree char *path = NULL;

  if (info == NULL)
    return;
  path = pas_file_pane_get_info_path (self, info);
  if (pas_file_info_is_folder (info))
    pas_file_pane_go_to (self, path, TRUE);
  else
    g_signal_emit (self, pas_file_pane_signals[SIGNAL_FILE_ACTIVATED], 0, info);
}

static void
location_activate_cb (GtkEntry    *entry,
                      PasFilePane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (!self->remote && text[0] == '~')
    {
      g_autofree char *expanded = g_strconcat (g_get_home_dir (), text + 1, NULL);
      pas_file_pane_go_to (self, expanded, TRUE);
    }
  else if (self->remote && text[0] != '/' && self->home != NULL)
    {
      /* "~/x" and relative names are taken from the home folder, as sftp does. */
      g_autofree char *joined = pas_file_pane_join (self, self->home,
                                                    g_str_has_prefix (text, "~/") ? text + 2 :
                                                    strcmp (text, "~") == 0 ? "" : text);
      pas_file_pane_go_to (self, joined, TRUE);
    }
  else
    pas_file_pane_go_to (self, text, TRUE);
  pas_file_pane_focus_list (self);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   PasFilePane    *self)
{
  update_filter (self);
}

/* A name to select once the folder is listed: where we came from, or what
 * was just made or renamed. */
static void
select_pending (PasFilePane *self)
{
  if (self->select_after_load != NULL && !pas_file_pane_is_loading (self))
    {
      g_autofree char *name = g_steal_pointer (&self->select_after_load);
      pas_file_pane_select_name (self, name);
    }
}

static void
view_order_changed_cb (GtkSorter      *sorter,
                       GtkSorterChange change,
                       PasFilePane    *self)
{
  gboolean descending;
  PasFileOrder order = pas_file_pane_get_view_order (self, &descending);

  pas_file_list_set_order (self->file_list, order, descending);
}

static void
after_items_changed_cb (GListModel  *model,
                        guint        position,
                        guint        removed,
                        guint        added,
                        PasFilePane *self)
{
  select_pending (self);
  /* While a folder arrives, the view stays at its top: it keeps the row it
   * shows first in place, and rows merged in before it (the folders, the
   * first names) ended up above, out of sight. */
  if (position == 0 && added > 0 && pas_file_pane_is_loading (self) && self->select_after_load == NULL)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_LIST_VIEW (child))
          gtk_widget_activate_action (child, "list.scroll-to-item", "u", 0);
    }
}

/* ---- GObject ------------------------------------------------------------ */

PasFilePane *
pas_file_pane_new (gboolean remote)
{
  return g_object_new (PAS_TYPE_FILE_PANE, "remote", remote, NULL);
}

static void
pas_file_pane_constructed (GObject *object)
{
  PasFilePane *self = PAS_FILE_PANE (object);

  G_OBJECT_CLASS (pas_file_pane_parent_class)->constructed (object);

  pas_file_pane_init_dnd (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->remote ? _("Remote files") : _("Local files"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->location_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->remote ? _("Remote folder") : _("Local folder"), -1);
  gtk_widget_add_css_class (GTK_WIDGET (self), self->remote ? "remote" : "local");
}

static void
pas_file_pane_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PasFilePane *self = PAS_FILE_PANE (object);

  switch (prop_id)
    {
    case PROP_REMOTE:
      g_value_set_boolean (value, self->remote);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, pas_file_pane_is_loading (self));
      break;
    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, self->show_hidden);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_file_pane_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PasFilePane *self = PAS_FILE_PANE (object);

  switch (prop_id)
    {
    case PROP_REMOTE:
      self->remote = g_value_get_boolean (value);
      break;
    case PROP_LOCATION:
      pas_file_pane_set_location (self, g_value_get_string (value));
      break;
    case PROP_SHOW_HIDDEN:
      if (self->show_hidden != g_value_get_boolean (value))
        {
          self->show_hidden = g_value_get_boolean (value);
          update_filter (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_file_pane_dispose (GObject *object)
{
  PasFilePane *self = PAS_FILE_PANE (object);

  /* Nothing may update widgets the template is about to drop. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->file_list != NULL)
    g_signal_handlers_disconnect_by_data (self->file_list, self);
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->directory != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->directory, self);
      if (self->remote)
        pas_remote_directory_cancel (PAS_REMOTE_DIRECTORY (self->directory));
    }
  if (self->file_list != NULL)
    pas_file_list_set_model (self->file_list, NULL);
  pas_drop_in_thread (g_steal_pointer (&self->directory), g_object_unref);
  g_clear_pointer (&self->context_popover, gtk_widget_unparent);
  g_clear_pointer (&self->rename_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAS_TYPE_FILE_PANE);

  G_OBJECT_CLASS (pas_file_pane_parent_class)->dispose (object);
}

static void
pas_file_pane_finalize (GObject *object)
{
  PasFilePane *self = PAS_FILE_PANE (object);

  g_clear_object (&self->session);
  g_clear_object (&self->context_menu);
  g_clear_object (&self->renaming);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->back, g_ptr_array_unref);
  g_clear_pointer (&self->forward, g_ptr_array_unref);
  g_free (self->home);
  g_free (self->location);
  g_free (self->select_after_load);
  g_clear_pointer (&self->marks, g_hash_table_unref);
  g_free (self->note);

  G_OBJECT_CLASS (pas_file_pane_parent_class)->finalize (object);
}

static void
pas_file_pane_measure (GtkWidget     *widget,
                       GtkOrientation orientation,
                       int            for_size,
                       int           *minimum,
                       int           *natural,
                       int           *minimum_baseline,
                       int           *natural_baseline)
{
  gtk_widget_measure (PAS_FILE_PANE (widget)->content, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

/* By hand rather than with a layout manager: popovers must be presented. */
static void
pas_file_pane_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  PasFilePane *self = PAS_FILE_PANE (widget);

  gtk_widget_allocate (self->content, width, height, baseline, NULL);
  if (self->context_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_popover));
  if (self->rename_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->rename_popover));
}

static gboolean
pas_file_pane_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PAS_FILE_PANE (widget)->column_view));
}

static void
pas_file_pane_class_init (PasFilePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pas_file_pane_constructed;
  object_class->get_property = pas_file_pane_get_property;
  object_class->set_property = pas_file_pane_set_property;
  object_class->dispose = pas_file_pane_dispose;
  object_class->finalize = pas_file_pane_finalize;

  widget_class->measure = pas_file_pane_measure;
  widget_class->size_allocate = pas_file_pane_size_allocate;
  widget_class->grab_focus = pas_file_pane_grab_focus;

  properties[PROP_REMOTE] =
    g_param_spec_boolean ("remote", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A file (not a folder) was opened: Enter or a double click. */
  pas_file_pane_signals[SIGNAL_FILE_ACTIVATED] =
    g_signal_new ("file-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE_INFO);
  /* Local files (a GSList of GFile) dropped on the remote pane, into FOLDER. */
  pas_file_pane_signals[SIGNAL_DROP_LOCAL] =
    g_signal_new ("drop-local", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, G_TYPE_POINTER, G_TYPE_STRING);
  /* Remote files dropped on the local pane, into FOLDER. */
  pas_file_pane_signals[SIGNAL_DROP_REMOTE] =
    g_signal_new ("drop-remote", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 2, PAS_TYPE_REMOTE_SELECTION, G_TYPE_STRING);
  pas_file_pane_signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  pas_file_pane_signals[SIGNAL_LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  pas_file_pane_signals[SIGNAL_RENAME_REQUESTED] =
    g_signal_new ("rename-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_FILE_INFO, G_TYPE_STRING);
  /* The Compare marks changed: shown rows look theirs up again. */
  pas_file_pane_signals[SIGNAL_MARKS_CHANGED] =
    g_signal_new ("marks-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, APP_RESOURCE_PATH "/pas-file-pane.ui");
  gtk_widget_class_set_css_name (widget_class, "filepane");
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, content);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, toolbar_box);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, location_entry);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, stack);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, column_view);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, forward_button);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, hidden_button);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, name_column);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, size_column);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, modified_column);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, permissions_column);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, owner_column);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, message_page);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, status_label);
  gtk_widget_class_bind_template_child (widget_class, PasFilePane, spinner);
  gtk_widget_class_bind_template_callback_full (widget_class, "activate_cb", G_CALLBACK (pas_file_pane_activate_cb));
  gtk_widget_class_bind_template_callback (widget_class, location_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  pas_file_pane_class_init_actions (widget_class);
  pas_file_pane_class_init_keys (widget_class);
}

static void
pas_file_pane_init (PasFilePane *self)
{
  self->back = g_ptr_array_new_with_free_func (g_free);
  self->forward = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  pas_file_pane_init_columns (self);

  /* Sorted by a PasFileList (a worker sorts; see there why not
   * GtkSortListModel) in the order the view's headers ask for. */
  self->file_list = pas_file_list_new ();
  update_filter (self);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (unrealize_cb), NULL);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->file_list)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed", G_CALLBACK (view_order_changed_cb),
                    self);
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);

  g_signal_connect (self->file_list, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_after (self->file_list, "items-changed", G_CALLBACK (after_items_changed_cb), self);
  g_signal_connect (self->file_list, "notify::busy", G_CALLBACK (loading_changed_cb), self);
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_object_unref (self->file_list);   /* the selection holds it */

  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->column_view));
  pas_file_pane_init_keys (self);

  pas_file_pane_init_menus (self);

  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    /* Tab in a list goes to the other pane (FileZilla, Midnight Commander);
     * elsewhere it moves the focus as usual. */
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Tab, 0),
                                                            gtk_named_action_new ("browser.switch-pane")));
    gtk_widget_add_controller (GTK_WIDGET (self->column_view), shortcuts);
  }

  update_navigation_actions (self);
  pas_file_pane_update_status (self);
}
