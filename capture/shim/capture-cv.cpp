/* capture: the OpenCV shim (the only C++ in capture/). See capture-cv.h.
 *
 * Kept deliberately thin: it converts borrowed C buffers to cv::Mat
 * headers (no copy), calls the cascade detector, and converts results
 * back. All policy (which face, which eyes, what is compliant) lives in
 * C in capture/face/. */
#include "capture-cv.h"

#include <algorithm>
#include <new>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

struct CaptureCvDetector {
  cv::CascadeClassifier face;
  cv::CascadeClassifier eye;
};

namespace {

bool
gray_is_valid (const CaptureCvGray *image)
{
  return image != nullptr && image->pixels != nullptr && image->width > 0 &&
         image->height > 0 && image->width <= CAPTURE_CV_MAX_SIDE &&
         image->height <= CAPTURE_CV_MAX_SIDE &&
         image->stride >= static_cast<size_t> (image->width);
}

cv::Mat
gray_to_mat (const CaptureCvGray *image)
{
  /* a header over the caller's pixels: OpenCV only reads them */
  return cv::Mat (image->height, image->width, CV_8UC1,
                  const_cast<uint8_t *> (image->pixels), image->stride);
}

/* Copies up to max_out boxes, largest area first, scaled back by 1/scale
 * and offset by (dx, dy). */
void
export_boxes (std::vector<cv::Rect> &boxes, double scale, int dx, int dy,
              CaptureCvRect *ret_boxes, size_t max_out, size_t *ret_n_found)
{
  std::sort (boxes.begin (), boxes.end (),
             [] (const cv::Rect &a, const cv::Rect &b) {
               return a.area () > b.area ();
             });
  size_t n = std::min (boxes.size (), max_out);
  for (size_t i = 0; i < n; i++)
    {
      ret_boxes[i].x = dx + static_cast<int> (boxes[i].x / scale + 0.5);
      ret_boxes[i].y = dy + static_cast<int> (boxes[i].y / scale + 0.5);
      ret_boxes[i].width = static_cast<int> (boxes[i].width / scale + 0.5);
      ret_boxes[i].height = static_cast<int> (boxes[i].height / scale + 0.5);
    }
  *ret_n_found = boxes.size ();
}

} // namespace

extern "C" CaptureCvStatus
capture_cv_detector_new (const char *face_cascade_path,
                         const char *eye_cascade_path,
                         CaptureCvDetector **ret_detector)
{
  if (face_cascade_path == nullptr || eye_cascade_path == nullptr ||
      ret_detector == nullptr)
    return CAPTURE_CV_ERROR_INVALID_ARGUMENT;
  try
    {
      /* One frame is one task on the daemon's worker pool: OpenCV's own
       * thread pool would only fight it for the same two cores. */
      cv::setNumThreads (1);
      CaptureCvDetector *detector = new CaptureCvDetector ();
      if (!detector->face.load (face_cascade_path) ||
          !detector->eye.load (eye_cascade_path))
        {
          delete detector;
          return CAPTURE_CV_ERROR_CASCADE;
        }
      *ret_detector = detector;
      return CAPTURE_CV_OK;
    }
  catch (const std::bad_alloc &)
    {
      return CAPTURE_CV_ERROR_NO_MEMORY;
    }
  catch (...)
    {
      /* a malformed XML file throws cv::Exception from load() */
      return CAPTURE_CV_ERROR_CASCADE;
    }
}

extern "C" void
capture_cv_detector_free (CaptureCvDetector *detector)
{
  delete detector;
}

extern "C" CaptureCvStatus
capture_cv_detect_faces (CaptureCvDetector *detector,
                         const CaptureCvGray *image, double scale,
                         int min_side, int max_side, CaptureCvRect *ret_faces,
                         size_t max_faces, size_t *ret_n_found)
{
  if (detector == nullptr || !gray_is_valid (image) || !(scale > 0.0) ||
      scale > 1.0 || (ret_faces == nullptr && max_faces > 0) ||
      ret_n_found == nullptr || min_side < 0 || max_side < 0)
    return CAPTURE_CV_ERROR_INVALID_ARGUMENT;
  try
    {
      cv::Mat full = gray_to_mat (image);
      cv::Mat small;
      if (scale < 1.0)
        cv::resize (full, small, cv::Size (), scale, scale, cv::INTER_AREA);
      else
        small = full;
      if (small.cols < 24 || small.rows < 24)
        {
          *ret_n_found = 0;
          return CAPTURE_CV_OK;
        }
      /* equalised so that dim and bright frames look alike to the cascade */
      cv::Mat equalised;
      cv::equalizeHist (small, equalised);
      std::vector<cv::Rect> boxes;
      int min_small = static_cast<int> (min_side * scale);
      int max_small = static_cast<int> (max_side * scale);
      detector->face.detectMultiScale (
          equalised, boxes, 1.1, 4, 0,
          cv::Size (std::max (min_small, 24), std::max (min_small, 24)),
          max_small > 0 ? cv::Size (max_small, max_small) : cv::Size ());
      export_boxes (boxes, scale, 0, 0, ret_faces, max_faces, ret_n_found);
      return CAPTURE_CV_OK;
    }
  catch (const std::bad_alloc &)
    {
      return CAPTURE_CV_ERROR_NO_MEMORY;
    }
  catch (...)
    {
      return CAPTURE_CV_ERROR_INTERNAL;
    }
}

extern "C" CaptureCvStatus
capture_cv_detect_eyes (CaptureCvDetector *detector,
                        const CaptureCvGray *image, const CaptureCvRect *roi,
                        int work_width, CaptureCvRect *ret_eyes,
                        size_t max_eyes, size_t *ret_n_found)
{
  if (detector == nullptr || !gray_is_valid (image) || roi == nullptr ||
      work_width < 24 || (ret_eyes == nullptr && max_eyes > 0) ||
      ret_n_found == nullptr)
    return CAPTURE_CV_ERROR_INVALID_ARGUMENT;
  cv::Rect r (roi->x, roi->y, roi->width, roi->height);
  r &= cv::Rect (0, 0, image->width, image->height);
  if (r.width < 8 || r.height < 8)
    {
      *ret_n_found = 0;
      return CAPTURE_CV_OK;
    }
  try
    {
      cv::Mat crop = gray_to_mat (image) (r);
      double scale = std::min (1.0, static_cast<double> (work_width) / r.width);
      cv::Mat small;
      if (scale < 1.0)
        cv::resize (crop, small, cv::Size (), scale, scale, cv::INTER_AREA);
      else
        small = crop;
      cv::Mat equalised;
      cv::equalizeHist (small, equalised);
      std::vector<cv::Rect> boxes;
      /* an eye is 1/8 to 2/5 of the face's width: searching only those
       * window sizes is most of the eye cascade's saving */
      int min_eye = std::max (12, small.cols / 8);
      int max_eye = std::max (min_eye + 1, small.cols * 2 / 5);
      detector->eye.detectMultiScale (equalised, boxes, 1.1, 3, 0,
                                      cv::Size (min_eye, min_eye),
                                      cv::Size (max_eye, max_eye));
      export_boxes (boxes, scale, r.x, r.y, ret_eyes, max_eyes, ret_n_found);
      return CAPTURE_CV_OK;
    }
  catch (const std::bad_alloc &)
    {
      return CAPTURE_CV_ERROR_NO_MEMORY;
    }
  catch (...)
    {
      return CAPTURE_CV_ERROR_INTERNAL;
    }
}
