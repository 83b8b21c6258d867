#define G_LOG_DOMAIN "pas-file-pane"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-cell-text.h"
#include "pas-file-pane-private.h"

/* The name's collation key, made once per item: comparing two of them is a
 * strcmp. (GTK 4.8's column view sorter has no sort keys, so a string
 * sorter there case-folds and collates both names on every comparison:
 * that made a 50,000-entry folder take seconds to show.) */
static const char *
info_sort_key (GFileInfo *info)
{
  static GQuark quark;
  const char *key;

  if (quark == 0)
    quark = g_quark_from_static_string ("pas-sort-key");
  key = g_object_get_qdata (G_OBJECT (info), quark);
  if (key == NULL)
    {
      g_autofree char *folded = g_utf8_casefold (g_file_info_get_display_name (info), -1);
      char *made = g_utf8_collate_key_for_filename (folded, -1);

      g_object_set_qdata_full (G_OBJECT (info), quark, made, g_free);
      key = made;
    }
  return key;
}

static int
name_order_cb (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  int order = strcmp (info_sort_key ((GFileInfo *) a), info_sort_key ((GFileInfo *) b));

  return order < 0 ? GTK_ORDERING_SMALLER : order > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* The local time zone, looked up once a minute: GLib's own lookup stats
 * /etc/localtime at every call, and a big folder binds thousands of
 * Modified cells on the UI thread (5 % of its time opening 50,000 files). */
static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;
  static gint64 looked_up;
  gint64 now = g_get_monotonic_time ();

  if (zone == NULL || now - looked_up > 60 * G_USEC_PER_SEC)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      looked_up = now;
    }
  return zone;
}

static guint64
info_mtime (GFileInfo *info)
{
  return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
}

typedef enum { CELL_NAME, CELL_SIZE, CELL_MODIFIED, CELL_PERMISSIONS, CELL_OWNER } CellKind;

/* Compare marks: an icon and words for each, never a color alone. */
static const struct
{
  const char *icon;
  const char *words;
} marks[] = {
  [PAS_SYNC_MARK_ONLY_HERE] = { "list-add-symbolic", N_("Only on this side") },
  [PAS_SYNC_MARK_NEWER_HERE] = { "go-up-symbolic", N_("Newer on this side") },
  [PAS_SYNC_MARK_OLDER_HERE] = { "go-down-symbolic", N_("Older on this side") },
  [PAS_SYNC_MARK_DIFFERENT] = { "dialog-warning-symbolic", N_("Not the same as on the other side") },
  [PAS_SYNC_MARK_SAME] = { "object-select-symbolic", N_("Same on both sides") },
  /* Not marked: "same" would be a claim about contents nobody compared. */
  [PAS_SYNC_MARK_FOLDERS] = { NULL, NULL },
};

static gboolean
mark_tooltip_cb (GtkWidget  *image,
                 int         x,
                 int         y,
                 gboolean    keyboard,
                 GtkTooltip *tooltip,
                 gpointer    user_data)
{
  const char *words = g_object_get_data (G_OBJECT (image), "pas-mark-words");

  if (words == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, words);
  return TRUE;
}

/* The name cell's mark, from the pane's marks (none when Compare is off). */
static void
update_mark (GtkWidget *box)
{
  PasFilePane *pane = g_object_get_data (G_OBJECT (box), "pas-pane");
  GFileInfo *info = g_object_get_data (G_OBJECT (box), "pas-info");
  GtkWidget *image = gtk_widget_get_last_child (box);
  int mark = info != NULL ? pas_file_pane_get_mark (pane, g_file_info_get_name (info)) : -1;
  const char *words;

  if (mark < 0 || mark >= (int) G_N_ELEMENTS (marks) || marks[mark].icon == NULL)
    {
      gtk_widget_set_visible (image, FALSE);
      g_object_set_data (G_OBJECT (image), "pas-mark-words", NULL);
      return;
    }
  words = _(marks[mark].words);
  gtk_image_set_from_icon_name (GTK_IMAGE (image), marks[mark].icon);
  g_object_set_data (G_OBJECT (image), "pas-mark-words", (gpointer) words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
  gtk_widget_set_visible (image, TRUE);
}

/* The whole name, only when the cell cuts it short (a tooltip over every
 * row hid the rows below). Asked for when the pointer rests: setting a
 * tooltip at every bind made GTK look for the widget under the pointer,
 * ~150 µs a row, and a big folder binds hundreds of rows at a time. */
static gboolean
name_tooltip_cb (GtkWidget  *cell,
                 int         x,
                 int         y,
                 gboolean    keyboard,
                 GtkTooltip *tooltip,
                 gpointer    user_data)
{
  GFileInfo *info = g_object_get_data (G_OBJECT (cell), "pas-info");
  GtkWidget *text = gtk_widget_get_prev_sibling (gtk_widget_get_last_child (cell));

  if (info == NULL || !PAS_IS_CELL_TEXT (text) || !pas_cell_text_is_ellipsized (PAS_CELL_TEXT (text)))
    return FALSE;
  gtk_tooltip_set_text (tooltip, g_file_info_get_display_name (info));
  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  CellKind kind = GPOINTER_TO_INT (user_data);
  GtkWidget *label = pas_cell_text_new (kind == CELL_SIZE ? 1.0f : 0.0f, kind == CELL_SIZE || kind == CELL_PERMISSIONS);

  if (kind != CELL_NAME)
    gtk_widget_add_css_class (label, "dim-label");

  if (kind == CELL_NAME)
    {
      PasFilePane *pane = g_object_get_data (G_OBJECT (factory), "pas-pane");
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *image = gtk_image_new ();
      GtkWidget *mark = gtk_image_new ();

      gtk_box_append (GTK_BOX (box), image);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_visible (mark, FALSE);
      gtk_widget_set_has_tooltip (mark, TRUE);
      g_signal_connect (mark, "query-tooltip", G_CALLBACK (mark_tooltip_cb), NULL);
      gtk_box_append (GTK_BOX (box), mark);
      gtk_widget_set_has_tooltip (box, TRUE);
      g_signal_connect (box, "query-tooltip", G_CALLBACK (name_tooltip_cb), NULL);
      g_object_set_data (G_OBJECT (box), "pas-pane", pane);
      g_signal_connect_object (pane, "marks-changed", G_CALLBACK (update_mark), box, G_CONNECT_SWAPPED);
      gtk_list_item_set_child (item, box);
    }
  else
    gtk_list_item_set_child (item, label);
}

static void
mode_string (guint32   mode,
             GFileType type,
             char      out[11])
{
  static const char rwx[] = "rwxrwxrwx";

  out[0] = type == G_FILE_TYPE_DIRECTORY ? 'd' : type == G_FILE_TYPE_SYMBOLIC_LINK ? 'l' : '-';
  for (int i = 0; i < 9; i++)
    out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
  out[10] = '\0';
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CellKind kind = GPOINTER_TO_INT (user_data);
  GFileInfo *info = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  PasCellText *label;
  g_autofree char *text = NULL;

  /* Lets a drop find the row under the pointer. */
  g_object_set_data (G_OBJECT (child), "pas-info", info);

  if (kind == CELL_NAME)
    {
      GtkWidget *image = gtk_widget_get_first_child (child);
      GIcon *icon = g_file_info_get_symbolic_icon (info);
      const char *name = g_file_info_get_display_name (info);

      label = PAS_CELL_TEXT (gtk_widget_get_next_sibling (image));
      if (icon != NULL)
        gtk_image_set_from_gicon (GTK_IMAGE (image), icon);
      else
        gtk_image_set_from_icon_name (GTK_IMAGE (image), "text-x-generic-symbolic");
      if (g_file_info_get_is_symlink (info))
        {
          /* Translators: a name in the file list, shown for a symbolic link */
          text = g_strdup_printf (_("%s (link)"), name);
          pas_cell_text_set_text (label, text);
        }
      else
        pas_cell_text_set_text (label, name);
      update_mark (child);
      return;
    }

  label = PAS_CELL_TEXT (child);
  switch (kind)
    {
    case CELL_SIZE:
      if (!pas_file_info_is_folder (info) && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
        text = g_format_size ((guint64) g_file_info_get_size (info));
      break;
    case CELL_MODIFIED:
      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc ((gint64) info_mtime (info));
          g_autoptr(GDateTime) when = utc != NULL ? g_date_time_to_timezone (utc, local_zone ()) : NULL;

          if (when != NULL)
            text = g_date_time_format (when, "%Y-%m-%d %H:%M");
        }
      break;
    case CELL_PERMISSIONS:
      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE))
        {
          char mode[11];

          mode_string (g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE),
                       g_file_info_get_is_symlink (info) ? G_FILE_TYPE_SYMBOLIC_LINK
                                                         : g_file_info_get_file_type (info),
                       mode);
          text = g_strdup (mode);
        }
      break;
    case CELL_OWNER:
      {
        const char *user = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_USER);
        const char *group = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_OWNER_GROUP);

        if (user != NULL && group != NULL)
          text = g_strdup_printf ("%s:%s", user, group);
        else if (user != NULL)
          text = g_strdup (user);
      }
      break;
    case CELL_NAME:
    default:
      break;
    }
  pas_cell_text_set_text (label, text != NULL ? text : "");
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "pas-info", NULL);
}

static void
setup_column (PasFilePane         *self,
              GtkColumnViewColumn *column,
              CellKind             kind,
              GtkSorter           *sorter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "pas-pane", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (kind));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), GINT_TO_POINTER (kind));
  gtk_column_view_column_set_factory (column, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_unref (factory);
  g_clear_object (&sorter);
}

/* A regular file, for asking the view's sorter. */
static GFileInfo *
probe_info (guint values[3])
{
  GFileInfo *info = g_file_info_new ();
  const char *name = values[PAS_FILE_ORDER_NAME] == 1 ? "a" : "b";

  g_file_info_set_name (info, name);
  g_file_info_set_display_name (info, name);
  g_file_info_set_file_type (info, G_FILE_TYPE_REGULAR);
  g_file_info_set_size (info, values[PAS_FILE_ORDER_SIZE]);
  g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED, values[PAS_FILE_ORDER_MODIFIED]);
  return info;
}

/* -1: @a comes first, 1: @b does, 0: the sorter does not tell them apart. */
static int
probe (GtkSorter *sorter,
       guint      a_values[3],
       guint      b_values[3])
{
  g_autoptr(GFileInfo) a = probe_info (a_values);
  g_autoptr(GFileInfo) b = probe_info (b_values);
  GtkOrdering order = gtk_sorter_compare (sorter, a, b);

  return order == GTK_ORDERING_SMALLER ? -1 : order == GTK_ORDERING_LARGER ? 1 : 0;
}

/* The view's sorter compares by each column a header click chose, the
 * latest first, and GTK 4.8 does not say which that is. So it is asked: two
 * rows that differ in one column show whether that column sorts, and which
 * way; two rows where one column puts "a" first and every other puts "b"
 * first show which column leads. */
PasFileOrder
pas_file_pane_get_view_order (PasFilePane *self,
                              gboolean    *descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  int way[3];   /* -1: ascending, 1: descending, 0: not sorted by */

  for (guint c = 0; c < 3; c++)
    {
      guint a[3] = { 1, 1, 1 }, b[3] = { 1, 1, 1 };

      b[c] = 2;
      way[c] = probe (sorter, a, b);
    }
  for (guint c = 0; c < 3; c++)
    {
      guint a[3] = { 1, 1, 1 }, b[3] = { 1, 1, 1 };

      if (way[c] == 0)
        continue;
      for (guint e = 0; e < 3; e++)
        {
          /* Column c puts a first; every other one b. */
          gboolean a_low = e == c ? way[e] < 0 : way[e] > 0;
          a[e] = a_low ? 1 : 2;
          b[e] = a_low ? 2 : 1;
        }
      if (probe (sorter, a, b) < 0)
        {
          *descending = way[c] > 0;
          return (PasFileOrder) c;
        }
    }
  *descending = FALSE;
  return PAS_FILE_ORDER_NAME;
}

void
pas_file_pane_init_columns (PasFilePane *self)
{
  setup_column (self, self->name_column, CELL_NAME, GTK_SORTER (gtk_custom_sorter_new (name_order_cb, NULL, NULL)));
  setup_column (self, self->size_column, CELL_SIZE,
                GTK_SORTER (gtk_numeric_sorter_new (gtk_cclosure_expression_new (G_TYPE_INT64, NULL, 0, NULL,
                                                                                 G_CALLBACK (pas_file_info_sort_size),
                                                                                 NULL, NULL))));
  setup_column (self, self->modified_column, CELL_MODIFIED,
                GTK_SORTER (gtk_numeric_sorter_new (gtk_cclosure_expression_new (G_TYPE_UINT64, NULL, 0, NULL,
                                                                                 G_CALLBACK (info_mtime),
                                                                                 NULL, NULL))));
  setup_column (self, self->permissions_column, CELL_PERMISSIONS, NULL);
  setup_column (self, self->owner_column, CELL_OWNER, NULL);
}
