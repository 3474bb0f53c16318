// MainWindow: the user's own input. Pick the input (an image of the data by number, a patch by a
// click on the reconstruction view) and Draw and present; both run through the live network in
// the simulation worker, so that every view shows them, frozen or learning as the user chooses.

#include <QDockWidget>
#include <QVBoxLayout>

#include "InputPicker.h"
#include "MainWindow.h"
#include "PresentPanel.h"
#include "Presenter.h"
#include "ReceptiveFieldMosaic.h"
#include "ReconstructionView.h"

namespace stdp::studio {

QDockWidget* MainWindow::buildPresenting() {
    picker_ = new gui::InputPicker;
    present_ = new gui::PresentPanel;
    presenter_ = new Presenter(this);
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(picker_);
    layout->addWidget(present_, 1);
    auto* dock = new QDockWidget(tr("Present"), this);
    dock->setObjectName(QStringLiteral("present"));
    dock->setWidget(box);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::BottomDockWidgetArea, dock);

    auto presentLive = [this](std::shared_ptr<const Image> image,
                              std::optional<std::size_t> data_index,
                              std::optional<PatchPosition> patch, const QString& label) {
        Presentation p;
        p.label = label.toStdString();
        p.image = std::move(image);
        p.data_index = data_index;
        p.patch = patch;
        p.learn = picker_->learns();
        // Draw and present's answer and the live run in the views: the same spikes.
        p.seed = Presenter::seedFor(controller_->settings());
        controller_->present(p);
    };
    connect(picker_, &gui::InputPicker::imageChosen, this, [this, presentLive](std::size_t i) {
        const auto& train = controller_->data().train;
        if (!train || i >= train->size())
            return;
        // Shares the data set's ownership: no copy of the pixels.
        presentLive(std::shared_ptr<const Image>(train, &train->images[i]), i, std::nullopt, {});
    });
    connect(picker_, &gui::InputPicker::stopRequested, controller_,
            &SimulationController::endPresentation);
    connect(reconstruction_, &gui::ReconstructionView::patchPicked, this,
            [this, presentLive](int row, int col) {
                const SnapshotPtr s = controller_->latest();
                if (!s || !s->image)
                    return;
                presentLive(s->image,
                            s->image_in_data ? std::optional(s->image_index) : std::nullopt,
                            PatchPosition{row, col}, tr("your input"));
            });
    connect(present_, &gui::PresentPanel::presentRequested, this,
            [this, presentLive](const Image& image) {
                present_->setBusy(true);
                presenter_->present(image, controller_->latest());
                presentLive(
                    std::make_shared<const Image>(image), std::nullopt, std::nullopt,
                    present_->photographMode() ? tr("the photograph crop") : tr("the drawing"));
            });
    connect(presenter_, &Presenter::responded, present_, &gui::PresentPanel::setResponse);
    connect(present_, &gui::PresentPanel::respondersShown, mosaic_,
            &gui::ReceptiveFieldMosaic::setHighlighted);
    connect(presenter_, &Presenter::failed, this, [this](const QString& message) {
        present_->setBusy(false);
        showError(tr("Cannot present the image"), message);
    });
    connect(controller_, &SimulationController::snapshotReady, picker_,
            [this](const SnapshotPtr& s) { picker_->setProgress(s->presentation, s->running); });
    connect(controller_, &SimulationController::networkReplaced, picker_, [this] {
        const auto& train = controller_->data().train;
        picker_->setImageCount(train ? train->size() : 0);
    });
    return dock;
}

}  // namespace stdp::studio
