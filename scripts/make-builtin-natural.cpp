// Helper of scripts/make-builtin-natural.sh: one photograph -> one 8-bit grey PNG.
//
//   make-builtin-natural IN OUT.png
//
// Grey as OpenCV reads it (0.299 R + 0.587 G + 0.114 B, rounded), at the photograph's own
// resolution: shrinking by 2 made the fields far less Gabor-like
// (resources/data/NATURAL-IMAGES.md). Maximum zlib compression and no metadata, so the file is as
// small as PNG makes it.
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: " << argv[0] << " IN OUT.png\n";
        return 2;
    }
    const cv::Mat grey = cv::imread(argv[1], cv::IMREAD_GRAYSCALE);
    if (grey.empty() || grey.depth() != CV_8U) {
        std::cerr << "error: cannot read " << argv[1] << " as an 8-bit image\n";
        return 1;
    }
    const std::vector<int> params = {cv::IMWRITE_PNG_COMPRESSION, 9};
    if (!cv::imwrite(argv[2], grey, params)) {
        std::cerr << "error: cannot write " << argv[2] << "\n";
        return 1;
    }
    std::cout << argv[2] << ": " << grey.cols << " x " << grey.rows << "\n";
    return 0;
}
