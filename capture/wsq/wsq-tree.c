/* The WSQ decomposition tree.
 *
 * The spec fixes which rectangles are split and where each of the 64
 * subbands lies. Here that is expressed as data: every transform node and
 * every subband is one quadrant of an earlier node. Splitting a rectangle
 * of odd length gives the extra sample to the low band, which comes
 * first unless the rectangle is itself a high band along that axis (then
 * it is stored spectrally inverted: high half first, low half with the
 * smaller share). That single rule reproduces the spec's tables. */
#include "wsq-private.h"

enum { TL, TR, BL, BR };

typedef struct {
  int8_t parent;   /* node index; -1 for the whole image */
  int8_t quadrant;
} Placement;

/* Transform nodes in analysis order (node 0 = the image). */
static const Placement node_placements[WSQ_N_NODES] = {
  { -1, TL },
  { 0, TL }, { 0, TR }, { 0, BL },
  { 1, TR }, { 1, BL },
  { 4, TL }, { 4, TR }, { 4, BL }, { 4, BR },
  { 5, TL }, { 5, TR }, { 5, BL }, { 5, BR },
  { 1, TL },
  { 14, TL }, { 14, TR }, { 14, BL }, { 14, BR },
  { 15, TL },
};

static WsqRect
quadrant_of (const WsqRect *parent, int quadrant)
{
  int first_w = parent->invert_x ? parent->width / 2 : (parent->width + 1) / 2;
  int first_h = parent->invert_y ? parent->height / 2 : (parent->height + 1) / 2;
  bool right = quadrant == TR || quadrant == BR;
  bool bottom = quadrant == BL || quadrant == BR;
  WsqRect rect = {
    .x = parent->x + (right ? first_w : 0),
    .y = parent->y + (bottom ? first_h : 0),
    .width = right ? parent->width - first_w : first_w,
    .height = bottom ? parent->height - first_h : first_h,
    .invert_x = right,
    .invert_y = bottom,
  };
  return rect;
}

void
wsq_tree_build (WsqTree *tree, int width, int height)
{
  WsqRect image = { 0, 0, width, height, false, false };
  tree->nodes[0] = image;
  for (int i = 1; i < WSQ_N_NODES; i++)
    tree->nodes[i] = quadrant_of (&tree->nodes[node_placements[i].parent],
                                  node_placements[i].quadrant);

  /* Subbands in coding order: the four quadrants of node 19, then the
   * high quadrants of node 15, the quadrants of 16, 17, 18, of 6..9, of
   * 10..13, the diagonal quadrant of node 1, and the quadrants of the
   * first level's two detail bands (nodes 2 and 3). */
  int n = 0;
  for (int q = TL; q <= BR; q++)
    tree->subbands[n++] = quadrant_of (&tree->nodes[19], q);
  for (int q = TR; q <= BR; q++)
    tree->subbands[n++] = quadrant_of (&tree->nodes[15], q);
  static const int8_t groups[] = { 16, 17, 18, 6, 7, 8, 9, 10, 11, 12, 13 };
  for (size_t g = 0; g < sizeof groups; g++)
    for (int q = TL; q <= BR; q++)
      tree->subbands[n++] = quadrant_of (&tree->nodes[groups[g]], q);
  tree->subbands[n++] = quadrant_of (&tree->nodes[1], BR);
  for (int q = TL; q <= BR; q++)
    tree->subbands[n++] = quadrant_of (&tree->nodes[2], q);
  for (int q = TL; q <= BR; q++)
    tree->subbands[n++] = quadrant_of (&tree->nodes[3], q);
}
