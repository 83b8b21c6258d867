#include <glib/gstdio.h>

#include "pas-test-ui.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the default main context for @msec, so layout and drawing happen. */
void
pas_test_ui_iterate (guint msec)
{
  gboolean done = FALSE;

  g_timeout_add (msec, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
pas_test_ui_wait_for_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (gtk_widget_get_mapped (widget));
  /* Give the frame clock a few frames to lay out and paint. */
  pas_test_ui_iterate (300);
}

/**
 * pas_test_ui_screenshot:
 *
 * Renders @widget the way GTK draws it and saves it as NAME.png under
 * $PAS_TEST_SCREENSHOT_DIR (the build directory's screenshots/).
 *
 * Returns: (transfer full): the path written
 */
char *
pas_test_ui_screenshot (GtkWidget  *widget,
                        const char *name)
{
  const char *dir = g_getenv ("PAS_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  char *path;
  int width, height;
  GskRenderer *renderer;

  /* A window just shown may not be laid out yet (slow under ASan). */
  for (int tries = 0; tries < 100 && (gtk_widget_get_width (widget) == 0 || gtk_widget_get_height (widget) == 0); tries++)
    pas_test_ui_iterate (20);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file_name, NULL);

  /* A widget waiting for its next layout draws nothing: give it frames. */
  for (int tries = 0; node == NULL && tries < 20; tries++)
    {
      g_autoptr(GtkSnapshot) attempt = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (attempt), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&attempt));
      if (node == NULL)
        pas_test_ui_iterate (50);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return path;
}

GtkWindow *
pas_test_ui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}
