// libstdp_imgcodecs.so: the only code linked with opencv_imgcodecs, opened by
// data/ImageCodecPlugin.cpp when an image other than PNG is read.

#include <cstdio>
#include <exception>
#include <opencv2/imgcodecs.hpp>

#include "data/ImageCodecPlugin.h"

extern "C" __attribute__((visibility("default"))) int stdp_image_decode(const std::uint8_t* bytes,
                                                                        std::size_t size,
                                                                        cv::Mat* out, char* error,
                                                                        std::size_t error_size) {
    try {
        const cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<std::uint8_t*>(bytes));
        *out = cv::imdecode(encoded, cv::IMREAD_GRAYSCALE | cv::IMREAD_ANYDEPTH);
        return 0;
    } catch (const cv::Exception& e) {
        std::snprintf(error, error_size, "%s", e.msg.c_str());
    } catch (const std::exception& e) {
        std::snprintf(error, error_size, "%s", e.what());
    }
    return 1;
}
